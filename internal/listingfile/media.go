package listingfile

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CheckMedia reads the icon and screenshots from fsys (the listing file's
// directory, e.g. os.DirFS(filepath.Dir(name))), checks each the way an
// upload is checked (real PNG/JPEG/WebP, bounded size, icon square,
// screenshots 16:9 or 9:16) and records what it learnt in f.Revision, so
// that a later shelf.PrecheckMedia sees the images. Problems carry the line
// of the path in the file. Paths Validate refused are skipped.
func (f *File) CheckMedia(fsys fs.FS) []Problem {
	v := &validation{name: f.Name, root: f.root}
	if f.Icon != "" {
		if info, ok := v.readImage(fsys, "icon", f.Icon); ok {
			if err := shelf.CheckIcon("icon", info); err != nil {
				v.addErr("icon", err)
			}
			f.Revision.Icon = &shelf.Image{ImageInfo: info}
		}
	}
	f.Revision.Screenshots = nil
	for i, p := range f.Screenshots {
		field := "screenshots[" + strconv.Itoa(i) + "]"
		if info, ok := v.readImage(fsys, field, p); ok {
			if err := shelf.CheckScreenshot(field, info); err != nil {
				v.addErr(field, err)
			}
			f.Revision.Screenshots = append(f.Revision.Screenshots, shelf.Image{ImageInfo: info})
		}
	}
	return v.sorted()
}

// ImagePath turns a path written in the file into one for fs.FS, or ""
// when the path leaves the file's directory.
func ImagePath(p string) string {
	clean := path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if p == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return ""
	}
	return clean
}

func (v *validation) readImage(fsys fs.FS, field, p string) (shelf.ImageInfo, bool) {
	name := ImagePath(p)
	if name == "" {
		return shelf.ImageInfo{}, false
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		v.add(v.line(field), field, "image_unreadable", fmt.Sprintf("cannot read %q: %v", p, unwrapPathError(err)))
		return shelf.ImageInfo{}, false
	}
	info, err := shelf.CheckImage(data)
	if err != nil {
		v.addErr(field, err)
		return info, false
	}
	return info, true
}

func (v *validation) addErr(field string, err error) {
	for _, e := range shelf.AllErrors(err) {
		v.add(v.line(field), field, e.Code, e.Message)
	}
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
