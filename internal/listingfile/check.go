package listingfile

import (
	"io/fs"
)

// Check is everything that can be known about a listing file offline:
// Validate, then, when the file could be read as a listing, CheckMedia on
// fsys (the file's directory). The problems of both come sorted by line,
// those about absent fields last. `shelf listing validate` prints them;
// `shelf listing push` refuses to send a file with an error among them.
func Check(name string, data []byte, fsys fs.FS) (*File, []Problem) {
	f, problems := Validate(name, data)
	if f == nil {
		return nil, problems
	}
	v := &validation{problems: append(problems, f.CheckMedia(fsys)...)}
	return f, v.sorted()
}
