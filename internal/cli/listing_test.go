package cli

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/listingfile"
)

// TestListingValidate runs `shelf listing validate` on the files in
// testdata/ and checks the verdict and the lines printed.
func TestListingValidate(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr error
		want    []string // lines (or parts of lines) on stdout
		notWant []string
	}{
		{"valid file: nothing to say", []string{"testdata/valid.yaml"}, nil, nil, []string{"code"}},
		{"flags after the file", []string{"testdata/valid.yaml", "--json"}, nil, []string{`"valid": true`, `"problems": []`}, nil},
		{"warnings do not fail", []string{"testdata/warnings.yaml"}, nil, []string{
			"testdata/warnings.yaml: warning: tags: ",
			"(code tags_missing)",
			"testdata/warnings.yaml: warning: screenshots: listings without screenshots are usually rejected: add 1 to 6 (code screenshots_missing)",
		}, []string{"code icon"}},
		{"errors in the content and the images", []string{"testdata/errors.yaml"}, ErrInvalidListing, []string{
			`testdata/errors.yaml:49: activation_order: activation order "trial_then_free" is not supported`,
			"testdata/errors.yaml:52: icon: ",
			"(code icon_not_square)",
			`testdata/errors.yaml:54: screenshots[0]: cannot read "images/missing.png"`,
			"(code image_unreadable)",
		}, nil},
		{"errors as JSON", []string{"--json", "testdata/errors.yaml"}, ErrInvalidListing, []string{`"valid": false`, `"errors": 3`, `"code": "icon_not_square"`, `"line": 52`}, nil},
		{"YAML syntax", []string{"testdata/syntax.yaml"}, ErrInvalidListing, []string{"testdata/syntax.yaml:1: ", "(code yaml_syntax)"}, nil},
		{"no file", nil, ErrUsage, nil, nil},
		{"two files", []string{"testdata/valid.yaml", "testdata/errors.yaml"}, ErrUsage, nil, nil},
		{"unknown flag", []string{"--strict", "testdata/valid.yaml"}, ErrUsage, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, err := run(t, "", append([]string{"listing", "validate"}, c.args...)...)
			if c.wantErr == nil && err != nil || c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v\nstdout:\n%s\nstderr:\n%s", err, c.wantErr, out, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestListingValidateJSON: the JSON report decodes into problems that say
// the same as the text lines, in the same order.
func TestListingValidateJSON(t *testing.T) {
	text, _, _ := run(t, "", "listing", "validate", "testdata/errors.yaml")
	js, _, _ := run(t, "", "listing", "validate", "--json", "testdata/errors.yaml")
	var report validateReport
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	var lines []string
	for _, p := range report.Problems {
		lines = append(lines, p.String())
	}
	if got, want := strings.Join(lines, "\n")+"\n", text; got != want {
		t.Fatalf("JSON problems:\n%s\ntext:\n%s", got, want)
	}
	if !listingfile.HasErrors(report.Problems) || report.Valid || report.Errors+report.Warnings != len(report.Problems) {
		t.Fatalf("report = %+v", report)
	}
}

func TestListingCommandLine(t *testing.T) {
	cases := []struct {
		args    []string
		wantErr error
	}{
		{[]string{"listing"}, ErrUsage},
		{[]string{"listing", "publish"}, ErrUsage},
		{[]string{"listing", "-h"}, errHelp},
		{[]string{"listing", "validate", "-h"}, errHelp},
		{[]string{"help", "listing"}, errHelp},
		{[]string{"listing", "push", "testdata/valid.yaml"}, ErrUsage},                                         // no token
		{[]string{"listing", "push", "testdata/valid.yaml", "--token", "t", "--server", "ftp://x"}, ErrUsage},  // bad server
		{[]string{"listing", "push", "testdata/valid.yaml", "--token", "t", "--app", "cloudattend"}, ErrUsage}, // not an app id
		{[]string{"listing", "validate", "testdata/no-such-file.yaml"}, nil},                                   // a plain error, below
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, _, err := run(t, "", c.args...)
			if c.wantErr == nil {
				if err == nil || errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), "no-such-file.yaml") {
					t.Fatalf("err = %v, want an error naming the file", err)
				}
				return
			}
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
}
