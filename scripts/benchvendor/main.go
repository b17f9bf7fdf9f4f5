// Command benchvendor prepares the entitlement benchmark against a running
// `shelf serve --demo`: as the demo partner it registers an app, installs
// it in the partner's test org, reads the install code from the app's
// events, trades it for an org access token and prints
// "<access token> <user id>" for wrk.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:18091", "Shelf's base URL")
	flag.Parse()
	if err := run(*base); err != nil {
		fmt.Fprintln(os.Stderr, "benchvendor:", err)
		os.Exit(1)
	}
}

func run(base string) error {
	c := &api{base: base}
	var tok struct{ Token string }
	if err := c.do("POST", "/api/v1/auth/token", map[string]string{"email": "partner@shelf.test", "password": "shelf-demo"}, &tok); err != nil {
		return err
	}
	c.bearer = tok.Token
	var me struct {
		ID   string
		Orgs []struct{ ID, Kind string }
	}
	if err := c.do("GET", "/api/v1/me", nil, &me); err != nil {
		return err
	}
	var partner string
	for _, o := range me.Orgs {
		if o.Kind == "partner" {
			partner = o.ID
		}
	}
	var tests struct{ Items []struct{ ID string } }
	if err := c.do("GET", "/api/v1/orgs/"+partner+"/test-orgs", nil, &tests); err != nil || len(tests.Items) == 0 {
		return fmt.Errorf("test orgs: %v", err)
	}
	testOrg := tests.Items[0].ID
	var app struct {
		ID           string
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := c.do("POST", "/api/v1/orgs/"+partner+"/apps", map[string]string{"name": "Bench", "kind": "org"}, &app); err != nil {
		return err
	}
	if err := c.do("POST", "/api/v1/orgs/"+testOrg+"/installations", map[string]string{"app_id": app.ID}, nil); err != nil {
		return err
	}
	c.bearer, c.basic = "", [2]string{app.ClientID, app.ClientSecret}
	var events struct {
		Events []struct {
			Type string
			Data struct {
				AuthCode string `json:"auth_code"`
			}
		}
	}
	if err := c.do("GET", "/api/v1/vendor/events?org_id="+testOrg, nil, &events); err != nil {
		return err
	}
	code := ""
	for _, e := range events.Events {
		if e.Type == "app.installed" {
			code = e.Data.AuthCode
		}
	}
	if code == "" {
		return fmt.Errorf("no install code in the app's events")
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}}
	req, _ := http.NewRequest("POST", base+"/api/v1/vendor/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(app.ClientID, app.ClientSecret)
	var vt struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.send(req, &vt); err != nil {
		return err
	}
	fmt.Println(vt.AccessToken, me.ID)
	return nil
}

type api struct {
	base, bearer string
	basic        [2]string
}

func (c *api) do(method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		js, _ := json.Marshal(body)
		r = bytes.NewReader(js)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	} else if c.basic[0] != "" {
		req.SetBasicAuth(c.basic[0], c.basic[1])
	}
	return c.send(req, out)
}

func (c *api) send(req *http.Request, out any) error {
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s = %d %s", req.Method, req.URL.Path, res.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
