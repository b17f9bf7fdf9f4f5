package listingfile

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shelfhq/shelf/internal/shelf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden validates every testdata/*.yaml and compares the printed
// problems with the .golden file beside it (go test -update rewrites them).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, problems := Validate(name, data)
			var b strings.Builder
			for _, p := range problems {
				b.WriteString(p.String() + "\n")
			}
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("problems differ from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestValidFile(t *testing.T) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, problems := Validate("valid.yaml", data)
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	r := f.Revision
	if f.App != "app_k3j2m4n5p6q7r8s9t2u3" || !f.Submit || f.Icon != "images/icon.png" || len(f.Screenshots) != 2 {
		t.Errorf("head: %+v", f)
	}
	if r.Name != "云考勤" || r.PricingRule != shelf.PricingPerUser || r.Activation != shelf.ActivationTrialThenPaid {
		t.Errorf("revision: %+v", r)
	}
	if len(r.Specs) != 5 || !r.Specs[0].Free || r.Specs[2].Currency != "CNY" || r.Specs[3].Period != shelf.PeriodYear {
		t.Errorf("specs: %+v", r.Specs)
	}
	if r.Trial == nil || r.Trial.Days != 15 || r.Trial.MaxUsers != 50 {
		t.Errorf("trial: %+v", r.Trial)
	}
	if err := r.CheckComplete(); err != nil {
		t.Errorf("CheckComplete: %v", err)
	}
}

// TestDocsExampleIsValid keeps docs/listing.md honest: its complete example
// is the same file as testdata/valid.yaml.
func TestDocsExampleIsValid(t *testing.T) {
	doc, err := os.ReadFile("../../docs/listing.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("```yaml\n"+string(example)+"```")) {
		t.Error("docs/listing.md must hold testdata/valid.yaml verbatim as its complete example")
	}
}

func TestLines(t *testing.T) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Validate("valid.yaml", data)
	v := &validation{root: f.root}
	for field, want := range map[string]int{
		"name":               5,
		"specs":              34,
		"specs[1]":           42,
		"specs[1].max_users": 46,
		"specs[4].price":     70,
		"specs[1].currency":  49,
		"specs[2].currency":  50, // absent: the spec's line
		"trial.days":         72,
		"tags[3]":            29,
		"promotion_modes[1]": 75,
		"screenshots[1]":     80,
		"nothing":            0,
		"specs[9].price":     34, // no such spec: the list's line
	} {
		if got := v.line(field); got != want {
			t.Errorf("line(%s) = %d, want %d", field, got, want)
		}
	}
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckMedia(t *testing.T) {
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Validate("valid.yaml", data)
	fsys := fstest.MapFS{
		"images/icon.png":     {Data: pngOf(t, 256, 256)},
		"images/clock-in.png": {Data: pngOf(t, 1280, 720)},
		"images/report.png":   {Data: pngOf(t, 1024, 768)},
	}
	var got []string
	for _, p := range f.CheckMedia(fsys) {
		got = append(got, p.String())
	}
	want := []string{"valid.yaml:80: screenshots[1]: screenshots must be 16:9 or 9:16, not 1024×768 (code screenshot_ratio_invalid)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if f.Revision.Icon == nil || f.Revision.Icon.Width != 256 || len(f.Revision.Screenshots) != 2 {
		t.Errorf("media not recorded: %+v %+v", f.Revision.Icon, f.Revision.Screenshots)
	}
	delete(fsys, "images/icon.png")
	fsys["images/report.png"] = &fstest.MapFile{Data: []byte("GIF89a")}
	got = nil
	for _, p := range f.CheckMedia(fsys) {
		got = append(got, p.Field+" "+p.Code)
	}
	if strings.Join(got, "|") != "icon image_unreadable|screenshots[1] image_format_unsupported" {
		t.Errorf("got %q", got)
	}
}

func TestLimits(t *testing.T) {
	_, ps := Validate("big.yaml", make([]byte, MaxFileBytes+1))
	if len(ps) != 1 || ps[0].Code != "file_too_large" {
		t.Errorf("big file: %v", ps)
	}
	for _, tc := range []struct{ src, code string }{
		{"", "file_empty"},
		{"- a\n- b\n", "file_not_mapping"},
		{"name: a\n---\nname: b\n", "file_multiple_documents"},
	} {
		f, ps := Validate("x.yaml", []byte(tc.src))
		if f != nil || len(ps) != 1 || ps[0].Code != tc.code || !HasErrors(ps) {
			t.Errorf("%q: %v", tc.src, ps)
		}
	}
}
