package shelf

import "context"

// ChangeFeed tells of committed changes by key (an org id, a listing's or
// a channel's key): this node's as they commit, other nodes' as they
// arrive; *store.Store.
type ChangeFeed interface {
	OnChange(fn func(keys []string))
	ListenChanges(ctx context.Context, fn func(key string), state func(listening bool, err error))
}

// ChangeFollower is a cache kept in step with a ChangeFeed: it drops what
// the keys name, and keeps nothing while the feed is down (changes may be
// missed then).
type ChangeFollower interface {
	Changed(keys ...string)
	Listening(up bool)
}

// FollowChanges keeps c in step with feed until ctx ends; onState, if set,
// hears the feed going up and down.
func FollowChanges(ctx context.Context, feed ChangeFeed, c ChangeFollower, onState func(listening bool, err error)) {
	feed.OnChange(func(keys []string) { c.Changed(keys...) })
	feed.ListenChanges(ctx, func(k string) { c.Changed(k) }, func(up bool, err error) {
		c.Listening(up)
		if onState != nil {
			onState(up, err)
		}
	})
}
