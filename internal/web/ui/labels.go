package ui

import (
	"fmt"
	"html/template"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

// labelFuncs name codes in the page's language: an event type
// ("app.installed" → 应用已安装) and the kind of an audited object
// ("coolapp_application" → 酷应用申请). A code without a name (which
// TestLabelsEveryEventTypeNamed keeps from happening) reads as itself,
// tidied, never as a broken key.
func labelFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"eventName":  func(typ string) string { return codeName(lang, "evtype.", typ) },
		"deviceName": func(d shelf.SessionDevice) string { return deviceName(lang, d) },
		"auditObject": func(typ string) string {
			if _, ok := catalog["auditobj."+typ]; ok {
				return translate(lang, "auditobj."+typ)
			}
			return translate(lang, "auditobj.other")
		},
	}
}

// allEventTypes lists every event type a vendor's server may hear, in the
// order the docs present the areas: the events page filters by them.
var allEventTypes = slices.Concat(shelf.EventTypes, shelf.CommerceEventTypes, shelf.CoolEventTypes,
	[]string{shelf.EventLeadCreated, shelf.EventLeadUpdated, shelf.EventTicketCreated, shelf.EventTicketReplied})

// deviceName says a session's device as "Chrome · Android" (en: "Chrome on
// Android"); the in-app browsers of the office suites go by their names in
// the reader's language.
func deviceName(lang string, d shelf.SessionDevice) string {
	name := func(s string) string {
		if _, ok := catalog["device.name."+s]; ok {
			return translate(lang, "device.name."+s)
		}
		return s
	}
	switch {
	case d.Browser == "" && d.OS == "":
		return translate(lang, "device.unknown")
	case d.OS == "":
		return name(d.Browser)
	case d.Browser == "":
		return fmt.Sprintf(translate(lang, "device.browser_on"), translate(lang, "device.other"), d.OS)
	}
	return fmt.Sprintf(translate(lang, "device.browser_on"), name(d.Browser), d.OS)
}
