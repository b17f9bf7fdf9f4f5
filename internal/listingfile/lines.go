package listingfile

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/shelfhq/shelf/internal/shelf"
)

// schema is the shape of what a listing file may hold: a mapping's known
// keys, a list's items, or a scalar's kind.
type schema struct {
	keys  map[string]*schema
	items *schema
	leaf  reflect.Kind // for scalars: reflect.String, reflect.Int64, reflect.Bool
}

// newFileSchema derives the known keys from the shelf types' JSON tags (the
// API contract), so that the file and the API cannot drift apart, and adds
// the file-level keys.
func newFileSchema() *schema {
	s := structSchema(reflect.TypeFor[shelf.Revision]())
	s.keys["app"] = &schema{leaf: reflect.String}
	s.keys["submit"] = &schema{leaf: reflect.Bool}
	s.keys["icon"] = &schema{leaf: reflect.String}
	s.keys["screenshots"] = &schema{items: &schema{leaf: reflect.String}}
	return s
}

func structSchema(t reflect.Type) *schema {
	s := &schema{keys: map[string]*schema{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("yaml") == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		s.keys[name] = typeSchema(f.Type)
	}
	return s
}

func typeSchema(t reflect.Type) *schema {
	switch t.Kind() {
	case reflect.Pointer:
		return typeSchema(t.Elem())
	case reflect.Struct:
		return structSchema(t)
	case reflect.Slice:
		return &schema{items: typeSchema(t.Elem())}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return &schema{leaf: reflect.Int64}
	}
	return &schema{leaf: t.Kind()}
}

// checkShape reports every key the schema does not know (with a
// suggestion when a known key is a typo away) and every value of the wrong
// kind. Kinds are checked here, not left to the decoder, because the decoder
// is lenient where money is concerned: it truncates price: 9.5 to 9. It
// returns false when a value has the wrong kind, so decoding is pointless.
func (v *validation) checkShape(n ast.Node, field string, s *schema) bool {
	n = unwrap(n)
	if _, null := n.(*ast.NullNode); null || n == nil {
		return true
	}
	ok := true
	switch {
	case s.keys != nil:
		m, isMap := n.(*ast.MappingNode)
		if !isMap {
			v.add(tokenLine(n), field, "yaml_type", "must be a mapping of field: value")
			return false
		}
		for _, mv := range m.Values {
			k := keyText(mv.Key)
			sub, known := s.keys[k]
			f := joinField(field, k)
			if !known {
				msg := fmt.Sprintf("unknown field %q", k)
				if near := nearest(k, s.keys); near != "" {
					msg += fmt.Sprintf("; did you mean %q?", near)
				}
				v.add(tokenLine(mv.Key), f, "unknown_field", msg)
				continue
			}
			ok = v.checkShape(mv.Value, f, sub) && ok
		}
	case s.items != nil:
		seq, isSeq := n.(*ast.SequenceNode)
		if !isSeq {
			v.add(tokenLine(n), field, "yaml_type", "must be a list")
			return false
		}
		for i, item := range seq.Values {
			ok = v.checkShape(item, field+"["+strconv.Itoa(i)+"]", s.items) && ok
		}
	default:
		if msg := scalarMismatch(n, s.leaf); msg != "" {
			v.add(tokenLine(n), field, "yaml_type", msg)
			return false
		}
	}
	return ok
}

// scalarMismatch says why n cannot hold a value of kind k, "" if it can.
// Text fields take any scalar (a spec code may be 2024).
func scalarMismatch(n ast.Node, k reflect.Kind) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.SequenceNode:
		return "must be " + kindName(k)
	}
	switch k {
	case reflect.Int64:
		if _, ok := n.(*ast.IntegerNode); !ok {
			return fmt.Sprintf("%q is not %s", n.GetToken().Value, kindName(k))
		}
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			return fmt.Sprintf("%q is not %s", n.GetToken().Value, kindName(k))
		}
	}
	return ""
}

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// line finds the line of a field named like the API names it
// ("specs[1].max_users", "trial.days", "tags[2]"). For a field that is
// absent it answers the line of its closest present parent (the spec, the
// trial), and 0 when nothing of it is in the file.
func (v *validation) line(field string) int {
	if v.root == nil || field == "" {
		return 0
	}
	n, line := v.root, 0
	for _, seg := range splitField(field) {
		if idx, err := strconv.Atoi(seg); err == nil {
			seq, ok := unwrap(n).(*ast.SequenceNode)
			if !ok || idx < 0 || idx >= len(seq.Values) {
				return line
			}
			n = seq.Values[idx]
			line = tokenLine(n)
			continue
		}
		m, ok := unwrap(n).(*ast.MappingNode)
		if !ok {
			return line
		}
		var found *ast.MappingValueNode
		for _, mv := range m.Values {
			if keyText(mv.Key) == seg {
				found = mv
			}
		}
		if found == nil {
			return line
		}
		n, line = found.Value, tokenLine(found.Key)
	}
	return line
}

// fieldAt names the field whose value is the token tk, "" if none is.
func (v *validation) fieldAt(tk *token.Token) string {
	var walk func(n ast.Node, field string) (string, bool)
	walk = func(n ast.Node, field string) (string, bool) {
		n = unwrap(n)
		if n == nil {
			return "", false
		}
		switch n := n.(type) {
		case *ast.MappingNode:
			for _, mv := range n.Values {
				if f, ok := walk(mv.Value, joinField(field, keyText(mv.Key))); ok {
					return f, true
				}
			}
			return "", false
		case *ast.SequenceNode:
			for i, item := range n.Values {
				if f, ok := walk(item, field+"["+strconv.Itoa(i)+"]"); ok {
					return f, true
				}
			}
			return "", false
		}
		return field, n.GetToken() == tk
	}
	f, _ := walk(v.root, "")
	return f
}

// splitField turns "specs[1].max_users" into ["specs", "1", "max_users"].
func splitField(field string) []string {
	field = strings.NewReplacer("[", ".", "]", "").Replace(field)
	return strings.Split(field, ".")
}

// unwrap looks through anchors and tags at the value they carry.
func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		default:
			return n
		}
	}
}

func keyText(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return k.String()
}

func tokenLine(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// nearest returns the known key closest to k when it is at most two edits
// away (a typo such as "max_user" or "subtitel"), else "".
func nearest(k string, keys map[string]*schema) string {
	best, bestD := "", 3
	for cand := range keys {
		if d := editDistance(k, cand); d < bestD || d == bestD && cand < best {
			best, bestD = cand, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
