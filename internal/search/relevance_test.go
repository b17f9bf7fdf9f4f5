package search

import (
	"slices"
	"strings"
	"testing"
)

// relevanceCase is one row of the relevance table: what a query must
// find, must not find, and (when set) what it must rank first.
type relevanceCase struct {
	q       string
	must    []string
	mustNot []string
	first   string
}

// all lists the anchors' ids.
var all = func() []string {
	var out []string
	for _, d := range fixtureAnchors() {
		out = append(out, d.ID)
	}
	return out
}()

// except lists every anchor but the given ones.
func except(ids ...string) []string {
	var out []string
	for _, id := range all {
		if !slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

var relevanceTable = []relevanceCase{
	// Two-character Chinese words: the most common queries.
	{q: "考勤", must: []string{"kq", "kq2", "kqj", "sched", "fac", "pay"}, mustNot: []string{"qin", "kao", "sp", "bx", "crm", "doc"}, first: "kq"},
	{q: "审批", must: []string{"sp", "bx"}, mustNot: []string{"kq", "ht", "crm", "doc", "kao"}, first: "sp"},
	{q: "报销", must: []string{"bx"}, mustNot: []string{"sp", "inv", "kq"}, first: "bx"},
	{q: "合同", must: []string{"ht", "sign"}, mustNot: []string{"sp", "bx", "kq", "crm"}, first: "ht"},
	{q: "发票", must: []string{"inv", "bx"}, mustNot: []string{"ht", "kq", "sp"}, first: "inv"},
	{q: "打卡", must: []string{"kq", "kq2"}, mustNot: []string{"sp", "ht", "qin"}},
	{q: "排班", must: []string{"kq", "sched", "kqj", "kq2"}, mustNot: []string{"sp", "retail"}},
	{q: "客户", must: []string{"crm"}, mustNot: []string{"kq", "doc"}, first: "crm"},
	{q: "会员", must: []string{"retail"}, mustNot: []string{"kq", "crm"}},
	{q: "考试", must: []string{"kao"}, mustNot: []string{"kq", "kqj", "qin"}, first: "kao"},
	{q: "勤务", must: []string{"qin"}, mustNot: []string{"kq", "kao"}},
	{q: "文档", must: []string{"doc"}, mustNot: []string{"kq", "ht"}, first: "doc"},
	{q: "会议", must: []string{"meet"}, mustNot: []string{"kq", "doc"}},
	{q: "工资", must: []string{"pay"}, mustNot: []string{"kq", "bx"}},
	{q: "培训", must: []string{"edu", "kao"}, mustNot: []string{"kq", "sp"}, first: "edu"},
	{q: "表情", must: []string{"emoji"}, mustNot: []string{"kq"}},
	// Longer Chinese.
	{q: "电子签章", must: []string{"sign"}, mustNot: []string{"ht", "kq"}, first: "sign"},
	{q: "考勤机", must: []string{"kqj"}, mustNot: []string{"kq", "fac", "kao"}},
	{q: "手机打卡", must: []string{"kq"}, mustNot: []string{"sp", "kqj"}},
	{q: "在线考试", must: []string{"kao"}, mustNot: []string{"kq"}},
	{q: "会议室预订", must: []string{"meet"}, mustNot: except("meet")},
	{q: "三班倒", must: []string{"fac"}, mustNot: except("fac")},
	{q: "电子工资条", must: []string{"pay"}, mustNot: except("pay")},
	{q: "考勤排班", must: []string{"kq", "kq2", "kqj", "sched", "fac"}, mustNot: []string{"sp", "kao", "qin"}},
	// Pinyin, full and initials.
	{q: "kaoqin", must: []string{"kq", "kq2", "kqj", "sched", "fac"}, mustNot: []string{"kao", "qin", "sp"}, first: "kq"},
	{q: "kq", must: []string{"kq", "kqj", "fac"}, mustNot: []string{"sp", "ht", "doc"}},
	{q: "shenpi", must: []string{"sp"}, mustNot: []string{"kq", "ht"}, first: "sp"},
	{q: "sp", must: []string{"sp"}, mustNot: []string{"kq", "kqj"}},
	{q: "baoxiao", must: []string{"bx"}, mustNot: []string{"sp", "kq"}},
	{q: "bx", must: []string{"bx"}, mustNot: []string{"kq", "ht"}},
	{q: "hetong", must: []string{"ht", "sign"}, mustNot: []string{"kq", "sp"}, first: "ht"},
	{q: "ht", must: []string{"ht"}, mustNot: []string{"kq"}},
	{q: "kaoshi", must: []string{"kao"}, mustNot: []string{"kq", "qin"}},
	{q: "fapiao", must: []string{"inv", "bx"}, mustNot: []string{"kq"}},
	{q: "KaoQin", must: []string{"kq"}, mustNot: []string{"kao"}},
	{q: "kqj", must: []string{"kqj"}, mustNot: []string{"kq2", "sp"}},
	// English, stems, typos, prefixes.
	{q: "attendance", must: []string{"kq", "kq2", "kqj", "fac", "sched"}, mustNot: []string{"kao", "sp"}},
	{q: "attendence", must: []string{"kq", "kq2", "fac"}, mustNot: []string{"kao", "sp", "ht"}},
	{q: "atendance", must: []string{"kq", "fac"}, mustNot: []string{"sp"}},
	{q: "approvals", must: []string{"sp", "bx"}, mustNot: []string{"kq", "ht"}, first: "sp"},
	{q: "aproval", must: []string{"sp"}, mustNot: []string{"kq", "ht"}},
	{q: "contracts", must: []string{"ht"}, mustNot: []string{"kq", "sp"}, first: "ht"},
	{q: "contarct", must: []string{"ht"}, mustNot: []string{"kq"}},
	{q: "invoices", must: []string{"inv"}, mustNot: []string{"kq", "ht"}, first: "inv"},
	{q: "invoise", must: []string{"inv"}, mustNot: []string{"kq"}},
	{q: "payrol", must: []string{"pay"}, mustNot: []string{"kq", "bx"}, first: "pay"},
	{q: "atten", must: []string{"kq", "fac"}, mustNot: []string{"sp", "doc"}},
	{q: "exam", must: []string{"kao"}, mustNot: []string{"kq"}},
	{q: "CRM", must: []string{"crm"}, mustNot: []string{"kq", "doc"}, first: "crm"},
	{q: "Stickers", must: []string{"emoji"}, mustNot: []string{"kq"}},
	// Category and partner names.
	{q: "财务管理", must: []string{"bx", "inv"}, mustNot: []string{"kq", "sp", "ht"}},
	{q: "人事管理", must: []string{"kq", "pay", "sched"}, mustNot: []string{"sp", "ht", "retail"}},
	{q: "教育培训", must: []string{"kao", "edu"}, mustNot: []string{"kq", "sp"}},
	{q: "Retail", must: []string{"retail", "qin"}, mustNot: []string{"kq", "sp"}},
	{q: "云雀软件", must: []string{"kq", "sp"}, mustNot: []string{"kq2", "ht"}},
	{q: "pinelaw", must: []string{"ht", "sign"}, mustNot: []string{"kq"}},
	// Mixed Chinese and English.
	{q: "考勤 Pro", must: []string{"fac"}, mustNot: []string{"kq", "kq2", "sp"}},
	{q: "工厂 attendance", must: []string{"fac"}, mustNot: []string{"kq", "kq2"}},
	{q: "OA审批", must: []string{"sp"}, mustNot: []string{"bx", "kq"}},
	{q: "CRM客户", must: []string{"crm"}, mustNot: []string{"kq"}},
	{q: "C++ 代码", must: []string{"cpp"}, mustNot: []string{"kq", "doc"}},
	// Single characters.
	{q: "勤", must: []string{"kq", "qin", "kqj"}, mustNot: []string{"sp", "ht"}},
	{q: "考", must: []string{"kq", "kao"}, mustNot: []string{"sp", "ht"}},
	{q: "签", must: []string{"sign", "ht", "meet"}, mustNot: []string{"kq2"}},
	// Punctuation, emoji, full-width, noise.
	{q: "考勤！！！", must: []string{"kq", "fac"}, mustNot: []string{"qin", "kao"}},
	{q: "「合同」", must: []string{"ht"}, mustNot: []string{"kq"}},
	{q: "审批、报销", must: []string{"bx"}, mustNot: []string{"ht", "kq"}},
	{q: "😀", mustNot: all},
	{q: "😀考勤", must: []string{"kq"}, mustNot: []string{"kao"}},
	{q: "ｋａｏｑｉｎ", must: []string{"kq"}, mustNot: []string{"kao"}},
	{q: "!!!???", mustNot: all},
	{q: "<script>alert(1)</script>", mustNot: all},
	{q: "   ", must: all},
	{q: "qwertyuiop", mustNot: all},
	// Each reading of a character with several: 行 hang and xing, 长
	// chang and zhang, 重 chong and zhong.
	{q: "yinhang", must: []string{"bank"}, mustNot: []string{"trip", "store"}, first: "bank"},
	{q: "yh", must: []string{"bank"}, mustNot: []string{"trip"}},
	{q: "chuxing", must: []string{"trip"}, mustNot: []string{"bank"}, first: "trip"},
	{q: "xingcheng", must: []string{"trip"}, mustNot: []string{"bank"}},
	{q: "changtu", must: []string{"long"}, mustNot: []string{"store"}, first: "long"},
	{q: "dianzhang", must: []string{"store"}, mustNot: []string{"long"}, first: "store"},
	{q: "chongfu", must: []string{"repeat"}, mustNot: []string{"key"}, first: "repeat"},
	{q: "zhongdian", must: []string{"key"}, mustNot: []string{"repeat"}, first: "key"},
}

func TestRelevanceTable(t *testing.T) {
	if len(relevanceTable) < 60 {
		t.Fatalf("the table has %d queries, want at least 60", len(relevanceTable))
	}
	docs := fixtureDocs(220, 7)
	x := New()
	x.Replace(docs)
	for _, c := range relevanceTable {
		t.Run(c.q, func(t *testing.T) {
			res := x.Search(Request{Q: c.q, MinPrice: -1, MaxPrice: -1, Limit: 1000})
			got := map[string]bool{}
			var order []string
			for _, h := range res.Hits {
				got[h.ID] = true
				if !strings.HasPrefix(h.ID, "f0") {
					order = append(order, h.ID)
				}
			}
			for _, id := range c.must {
				if !got[id] {
					t.Errorf("%q does not find %s; anchors found in order: %v", c.q, id, order)
				}
			}
			for _, id := range c.mustNot {
				if got[id] {
					t.Errorf("%q finds %s; anchors found in order: %v", c.q, id, order)
				}
			}
			if c.first != "" && (len(res.Hits) == 0 || res.Hits[0].ID != c.first) {
				t.Errorf("%q ranks first %v, want %s; anchors in order: %v", c.q, res.Hits[:min(1, len(res.Hits))], c.first, order)
			}
			if res.Total != len(res.Hits) {
				t.Errorf("total %d, hits %d", res.Total, len(res.Hits))
			}
		})
	}
}
