package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBox(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := b.Seal("whsec_abc", "app_1")
	if strings.Contains(sealed, "whsec_abc") {
		t.Fatal("sealed value shows the secret")
	}
	if got, err := b.Open(sealed, "app_1"); err != nil || got != "whsec_abc" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := NewBox(bytes.Repeat([]byte{8}, KeySize))
	for name, open := range map[string]func() (string, error){
		"other owner": func() (string, error) { return b.Open(sealed, "app_2") },
		"other key":   func() (string, error) { return other.Open(sealed, "app_1") },
		"damaged":     func() (string, error) { return b.Open(sealed[:len(sealed)-2], "app_1") },
		"no prefix":   func() (string, error) { return b.Open("whsec_abc", "app_1") },
	} {
		if _, err := open(); err != ErrUnseal {
			t.Errorf("%s: err = %v, want ErrUnseal", name, err)
		}
	}
	if _, err := NewBox([]byte("short")); err == nil {
		t.Fatal("short key accepted")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load = %x, %v; want the same key", k2, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v", fi.Mode())
	}
	if _, err := ParseKey("zz"); err == nil {
		t.Fatal("bad key parsed")
	}
}

func TestDerive(t *testing.T) {
	k1, k2 := make([]byte, KeySize), make([]byte, KeySize)
	k2[0] = 1
	b1, _ := NewBox(k1)
	b1again, _ := NewBox(k1)
	b2, _ := NewBox(k2)
	if string(b1.Derive("a")) != string(b1again.Derive("a")) {
		t.Error("one key and purpose derived two keys")
	}
	if string(b1.Derive("a")) == string(b1.Derive("b")) || string(b1.Derive("a")) == string(b2.Derive("a")) {
		t.Error("other purposes or keys derived the same key")
	}
	if len(b1.Derive("a")) != 32 {
		t.Errorf("derived %d bytes", len(b1.Derive("a")))
	}
}
