package ui

import (
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
		"eventName": func(typ string) string { return codeName(lang, "evtype.", typ) },
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
