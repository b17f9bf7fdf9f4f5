package shelf

// The states of an app on its way to the market, derived from facts the
// store keeps (its listing, the listing's latest revision and the app's
// latest self-test), never stored: see DeriveAppState.
const (
	AppDraft      = "draft"       // registered; no passing, current self-test
	AppSelfTested = "self_tested" // its latest self-test passed and still vouches for it
	AppInReview   = "in_review"   // a revision waits for an operator
	AppListed     = "listed"      // live in the market
	AppRejected   = "rejected"    // its latest revision was rejected
	AppDelisted   = "delisted"    // the partner withdrew the listing
	AppTakenDown  = "taken_down"  // an operator removed the listing
)

// AppStates lists every derived app state, in the order an app meets them.
func AppStates() []string {
	return []string{AppDraft, AppSelfTested, AppInReview, AppListed, AppRejected, AppDelisted, AppTakenDown}
}

// AppFacts are what an app's state is derived from; zero values mean "none".
type AppFacts struct {
	Listing  ListingState  // "" when the app has no listing
	Revision RevisionState // the listing's newest revision; "" when none
	// SelfTestPassed and SelfTestCurrent describe the app's latest
	// self-test: whether it passed, and whether the app is still configured
	// as it was then.
	SelfTestPassed  bool
	SelfTestCurrent bool
}

// DeriveAppState is the app's state: the listing's state once it has been
// live (listed, delisted, taken down: what customers see wins over a new
// revision in progress), else where its newest revision is in review, else
// whether a self-test vouches for it.
func DeriveAppState(f AppFacts) string {
	switch f.Listing {
	case ListingListed:
		return AppListed
	case ListingDelisted:
		return AppDelisted
	case ListingTakenDown:
		return AppTakenDown
	}
	switch f.Revision {
	case RevisionSubmitted:
		return AppInReview
	case RevisionRejected:
		return AppRejected
	}
	if f.SelfTestPassed && f.SelfTestCurrent {
		return AppSelfTested
	}
	return AppDraft
}
