package service

import (
	"net/url"
	"strings"
)

// joinLaunch puts a card button's path under the app's launch URL.
func joinLaunch(launch, path string) string {
	if path == "" {
		return launch
	}
	u, err := url.Parse(launch)
	if err != nil {
		return launch
	}
	p, err := url.Parse(path)
	if err != nil {
		return launch
	}
	u.Path = strings.TrimRight(u.Path, "/") + p.Path
	u.RawQuery = p.RawQuery
	return u.String()
}

// coolTarget swaps the target_link_uri of a third-party-initiated login
// URL for the button's deep link; a plain launch URL gets the path.
func coolTarget(to, launch, path string) (string, error) {
	u, err := url.Parse(to)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Get("target_link_uri") == "" {
		return joinLaunch(to, path), nil
	}
	q.Set("target_link_uri", joinLaunch(launch, path))
	u.RawQuery = q.Encode()
	return u.String(), nil
}
