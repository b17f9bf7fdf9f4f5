package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// deviceLoginPageFiles are the pages of `shelf login --device` (see pageFiles).
var deviceLoginPageFiles = []string{"device"}

// deviceLoginPages mounts the approval page of the device sign-in (RFC
// 8628): the person enters the code their device shows (or follows the
// link with it), sees what asks, and approves or denies.
func (h *Handler) deviceLoginPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /device", h.pageDevice)
	mux.HandleFunc("POST /device", h.postDevice)
}

type devicePage struct {
	Login          *shelf.DeviceLogin
	Typed          string
	Done, Approved bool
}

// deviceCodeError says, in the page's words, why a typed code finds
// nothing: the store's 404 names no field.
func deviceCodeError(err error) error {
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return shelf.FieldError("code", "device_code_unknown", "no sign-in waits for this code")
	}
	return err
}

func (h *Handler) pageDevice(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequireUser(r); err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &devicePage{Typed: r.URL.Query().Get("code")}
	var formErr error
	if p.Typed != "" {
		if p.Login, formErr = h.Store.DeviceLogin(r.Context(), p.Typed); formErr != nil {
			formErr = deviceCodeError(formErr)
		}
	}
	h.showLocal(w, r, "device", "device.title", p, nil, formErr)
}

func (h *Handler) postDevice(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &devicePage{Typed: r.PostForm.Get("code"), Done: true, Approved: r.PostForm.Get("decision") == "approve"}
	if _, err := h.Store.DecideDeviceLogin(r.Context(), p.Typed, u.ID, p.Approved); err != nil {
		h.showLocal(w, r, "device", "device.title", &devicePage{Typed: p.Typed}, nil, deviceCodeError(err))
		return
	}
	h.showLocal(w, r, "device", "device.title", p, nil, nil)
}
