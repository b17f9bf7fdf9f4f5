package api

import "slices"

// coolRoutes are the cool-app endpoints: the partner program, cool-app
// applications, group installs and group cards.
func (h *Handler) coolRoutes() []route {
	return slices.Concat(h.coolPartnerRoutes(), h.coolApplicationRoutes())
}
