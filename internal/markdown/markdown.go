// Package markdown renders the Markdown that partners write (listing
// descriptions) into HTML that is safe to put in Shelf's pages.
//
// Rendering and sanitizing are two steps on purpose: goldmark turns Markdown
// (with raw HTML allowed, so partners can use the odd <br> or <details>) into
// HTML, then bluemonday's UGC policy keeps only harmless elements and
// attributes. Whatever a partner writes, no script, event handler, style or
// javascript: link reaches a customer's browser.
package markdown

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer converts Markdown to sanitized HTML. It is safe for concurrent
// use; build one with New and keep it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds a Renderer: GitHub-flavoured Markdown (tables, strikethrough,
// task lists, autolinks) with CJK-aware line breaking, sanitized by the UGC
// policy with links opening in a new tab, marked nofollow (partners must not
// buy search rank with descriptions) and noreferrer.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.CJK),
			goldmark.WithRendererOptions(html.WithUnsafe()),
		),
		policy: p,
	}
}

// Render converts src to sanitized HTML. Markdown that goldmark cannot
// render (it practically never fails) renders as escaped text.
func (r *Renderer) Render(src string) template.HTML {
	var b bytes.Buffer
	if err := r.md.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(r.policy.SanitizeBytes(b.Bytes()))
}

var defaultRenderer = sync.OnceValue(New)

// Render converts src to sanitized HTML with a shared default Renderer.
func Render(src string) template.HTML { return defaultRenderer().Render(src) }
