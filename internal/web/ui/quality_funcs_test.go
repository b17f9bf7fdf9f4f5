package ui

import (
	"errors"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// TestQualityFuncs: the helpers that keep codes, units and stored texts
// off the pages say them in the reader's language.
func TestQualityFuncs(t *testing.T) {
	for _, c := range []struct{ name, got, want string }{
		{"audit action zh", codeName(langZH, "audit.", "app.self_test"), "运行自测"},
		{"audit action en", codeName(langEN, "audit.", "revision.reject"), "Rejected a revision"},
		{"unknown action", codeName(langEN, "audit.", "thing.do_it"), "thing · do it"},
		{"field label", fieldLabel(langZH, "specs[2].price"), "规格"},
		{"unknown field", fieldLabel(langEN, "whatever"), "Other"},
		{"notice zh", noticeText(langZH, "「云考勤」已上线 / CloudAttend is live"), "「云考勤」已上线"},
		{"notice en", noticeText(langEN, "「云考勤」已上线 / CloudAttend is live"), "CloudAttend is live"},
		{"notice in one language", noticeText(langEN, "seat request"), "seat request"},
		{"attempt no host", attemptError(langZH, `Post "https://x.invalid/hook": dial tcp: lookup x.invalid: no such host`), "找不到事件地址的主机"},
		{"attempt status", attemptError(langEN, "status 500"), "The events address answered with an error status"},
		{"attempt other", attemptError(langEN, "EOF"), "The delivery failed"},
		{"retrying", deliveryState(langZH, shelf.DeliveryPending, 5), "重试中（已失败 5 次）"},
		{"pending first", deliveryState(langEN, shelf.DeliveryPending, 0), "Pending"},
		{"minutes zh", waitingIn(langZH, 45*60), "45 分钟"},
		{"hours en", waitingIn(langEN, (3*60+12)*60), "3 h 12 min"},
		{"days zh", waitingIn(langZH, (2*24+4)*3600), "2 天 4 小时"},
		{"code marked", string(codeMarked("用 `org_id` 识别 <租户>")), "用 <code>org_id</code> 识别 &lt;租户&gt;"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	failing := []shelf.DayStats{{Day: "2026-11-26", Attempts: 5}, {Day: "2026-11-27", Attempts: 3}}
	if !allFailed(failing) || allFailed(append(failing, shelf.DayStats{Attempts: 1, Succeeded: 1})) || allFailed(nil) {
		t.Error("allFailed")
	}
	c := newHealthChart(failing, time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), 2)
	if col := c.Columns[1]; col.RateHeight != 0 || col.FailHeight != chartHeight {
		t.Errorf("a day of failures draws %d success and %d failure, want 0 and %d", col.RateHeight, col.FailHeight, chartHeight)
	}
}

// TestQualityLocalErrorOnce: a page's error is put in the reader's
// language once; what a handler adds after (a line number) stays.
func TestQualityLocalErrorOnce(t *testing.T) {
	err := localError(langZH, shelf.FieldError("redirect_uris", "https_required", "must use https"))
	e, _ := shelf.AsError(err)
	e.Message = "第 2 行：" + e.Message
	again, _ := shelf.AsError(localError(langZH, err))
	if again.Message != e.Message {
		t.Errorf("localized twice: %q", again.Message)
	}
	if !errors.Is(err, e) {
		t.Error("the localized error does not unwrap to its *shelf.Error")
	}
}
