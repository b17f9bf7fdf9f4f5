// Package listingfile reads "listing as code": a YAML file holding a
// listing revision (the same fields as the JSON API) plus a few file-level
// settings, checked offline by the same rules as the partner console, with
// every problem pointing at its line. docs/listing.md describes the format.
package listingfile

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/shelfhq/shelf/internal/shelf"
)

// MaxFileBytes bounds a listing file: the longest description plus every
// other field fits in far less, and the parser should never see megabytes.
const MaxFileBytes = 256 << 10

// File is a parsed listing file: the revision and the file-level settings
// that `shelf listing push` uses.
type File struct {
	// Name is the file's name as given, used in messages.
	Name string
	// App is the id of the app the listing belongs to (app_…); the push
	// command's --app flag overrides it.
	App string
	// Submit asks push to submit the revision for review after saving it.
	Submit bool
	// Icon and Screenshots are image paths relative to the file; push
	// uploads them. CheckMedia reads and checks them.
	Icon        string
	Screenshots []string
	// Revision is the content, normalized (texts trimmed, currency CNY by
	// default).
	Revision shelf.Revision

	root ast.Node
}

// head is the file-level part of the document, decoded apart from the
// revision so that the revision type stays the API's.
type head struct {
	App         string   `yaml:"app"`
	Submit      bool     `yaml:"submit"`
	Icon        string   `yaml:"icon"`
	Screenshots []string `yaml:"screenshots"`
}

// Problem is one finding about a listing file. Line is 1-based; 0 means the
// problem is about something absent from the file (e.g. a required field).
type Problem struct {
	File     string         `json:"file"`
	Line     int            `json:"line"`
	Field    string         `json:"field,omitempty"`
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	Severity shelf.Severity `json:"severity"`
}

// String renders the problem the way compilers do, so editors can jump to
// it: "listing.yaml:14: specs[1].max_users: … (code spec_range_invalid)".
// Warnings say so after the position.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Severity == shelf.SeverityWarning {
		b.WriteString("warning: ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	fmt.Fprintf(&b, "%s (code %s)", p.Message, p.Code)
	return b.String()
}

// HasErrors reports whether any problem is an error (and so blocks
// submission and makes `shelf listing validate` fail).
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == shelf.SeverityError {
			return true
		}
	}
	return false
}

// Validate parses a listing file and checks it by the pre-submission rules
// (shelf.PrecheckContent) plus the file's own: known keys only, image paths
// well-formed. It returns the file (nil when it cannot be read as a listing
// at all) and the problems sorted by line. Nothing is read from disk or the
// network: see CheckMedia for the images.
func Validate(name string, data []byte) (*File, []Problem) {
	v := &validation{name: name}
	if len(data) > MaxFileBytes {
		v.add(0, "", "file_too_large", fmt.Sprintf("a listing file must be at most %d KiB", MaxFileBytes>>10))
		return nil, v.problems
	}
	root := v.parse(data)
	if root == nil {
		return nil, v.problems
	}
	v.root = root
	f := &File{Name: name, root: root}
	if !v.checkShape(root, "", newFileSchema()) {
		return nil, v.sorted()
	}
	var h head
	if err := yaml.NodeToValue(root, &h); err != nil {
		v.decodeError(err)
		return nil, v.sorted()
	}
	if err := yaml.NodeToValue(root, &f.Revision); err != nil {
		v.decodeError(err)
		return nil, v.sorted()
	}
	f.App, f.Submit, f.Icon, f.Screenshots = strings.TrimSpace(h.App), h.Submit, h.Icon, h.Screenshots
	f.Revision.Normalize()
	for _, fd := range shelf.PrecheckContent(&f.Revision) {
		v.add(v.line(fd.Field), fd.Field, fd.Code, fd.Message, fd.Severity)
	}
	v.checkHead(f)
	return f, v.sorted()
}

// validation collects problems for one file.
type validation struct {
	name     string
	root     ast.Node
	problems []Problem
}

func (v *validation) add(line int, field, code, msg string, sev ...shelf.Severity) {
	s := shelf.SeverityError
	if len(sev) > 0 {
		s = sev[0]
	}
	v.problems = append(v.problems, Problem{File: v.name, Line: line, Field: field, Code: code, Message: msg, Severity: s})
}

// sorted orders the problems by line, those about absent fields (line 0)
// last and in contract order: first what to fix where it is, then what to add.
func (v *validation) sorted() []Problem {
	key := func(p Problem) int {
		if p.Line == 0 {
			return math.MaxInt
		}
		return p.Line
	}
	slices.SortStableFunc(v.problems, func(a, b Problem) int { return cmp.Compare(key(a), key(b)) })
	return v.problems
}

// parse returns the root mapping of the only document, or nil after
// reporting why there is none.
func (v *validation) parse(data []byte) ast.Node {
	af, err := parser.ParseBytes(data, 0)
	if err != nil {
		v.yamlError("yaml_syntax", err)
		return nil
	}
	var docs []ast.Node
	for _, d := range af.Docs {
		if d.Body != nil {
			docs = append(docs, d.Body)
		}
	}
	switch {
	case len(docs) == 0:
		v.add(0, "", "file_empty", "the file holds no listing")
		return nil
	case len(docs) > 1:
		v.add(tokenLine(docs[1]), "", "file_multiple_documents", "a listing file holds one YAML document")
		return nil
	}
	if _, ok := docs[0].(*ast.MappingNode); !ok {
		v.add(tokenLine(docs[0]), "", "file_not_mapping", "a listing file is a YAML mapping of field: value")
		return nil
	}
	return docs[0]
}

// decodeError reports a value of the wrong type (a word where a number is
// expected, a list where text is) at its line, in the file's terms rather
// than Go's.
func (v *validation) decodeError(err error) {
	var te *yaml.TypeError
	if !errors.As(err, &te) || te.Token == nil || te.Token.Position == nil {
		v.yamlError("yaml_type", err)
		return
	}
	field := v.fieldAt(te.Token)
	v.add(te.Token.Position.Line, field, "yaml_type", fmt.Sprintf("%q is not %s", te.Token.Value, kindName(te.DstType.Kind())))
}

// kindName names what a Go type holds the way a listing file's reader
// thinks of it.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "a mapping of field: value"
	}
	return "of the expected type"
}

// yamlError reports a YAML error (syntax, duplicate key) at its line.
func (v *validation) yamlError(code string, err error) {
	var ye yaml.Error
	if !errors.As(err, &ye) {
		v.add(0, "", code, err.Error())
		return
	}
	line := 0
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		line = tk.Position.Line
	}
	msg := ye.GetMessage()
	if strings.Contains(msg, "already defined") {
		// The parser reports duplicate keys as syntax errors; they deserve
		// their own code because the fix is different.
		code = "yaml_duplicate_key"
	}
	v.add(line, "", code, msg)
}

// checkHead checks the file-level fields.
func (v *validation) checkHead(f *File) {
	if f.App != "" && !shelf.HasPrefix(f.App, "app") {
		v.add(v.line("app"), "app", "app_invalid", fmt.Sprintf("%q is not an app id (app_…)", f.App))
	}
	if f.Icon == "" {
		v.add(0, "icon", "icon_required", "an icon is required: the path of a square PNG, JPEG or WebP image")
	} else {
		v.checkImagePath("icon", f.Icon)
	}
	switch n := len(f.Screenshots); {
	case n == 0:
		v.add(0, "screenshots", "screenshots_missing", "listings without screenshots are usually rejected: add 1 to 6", shelf.SeverityWarning)
	case n > shelf.MaxScreenshots:
		v.add(v.line("screenshots"), "screenshots", "screenshots_too_many", fmt.Sprintf("at most %d screenshots", shelf.MaxScreenshots))
	}
	for i, p := range f.Screenshots {
		v.checkImagePath("screenshots["+strconv.Itoa(i)+"]", p)
	}
}

// checkImagePath refuses paths that leave the file's directory (push must
// not upload ~/.ssh by accident) and names that cannot be an accepted image.
func (v *validation) checkImagePath(field, p string) {
	line := v.line(field)
	switch ext := strings.ToLower(path.Ext(p)); {
	case ImagePath(p) == "":
		v.add(line, field, "image_path_invalid", fmt.Sprintf("%q must be a path inside the listing file's directory", p))
	case ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".webp":
		v.add(line, field, "image_format_unsupported", fmt.Sprintf("%q must be a .png, .jpg, .jpeg or .webp image", p))
	}
}
