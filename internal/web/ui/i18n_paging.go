package ui

// pagingMessages are the strings of the paged lists' links, their search
// by name and the audit log's search by a person.
var pagingMessages = map[string][2]string{
	"paging.prev":          {"‹ 上一页", "‹ Previous"},
	"paging.next":          {"下一页 ›", "Next ›"},
	"paging.nav":           {"翻页", "Pages"},
	"paging.person":        {"按人查找：邮箱或姓名", "By person: email or name"},
	"paging.people":        {"匹配的人", "People matching"},
	"paging.nobody":        {"没有找到这个人。", "Nobody matches."},
	"paging.by":            {"操作人：", "Entries by "},
	"paging.all":           {"全部记录", "All entries"},
	"paging.search_people": {"查找", "Find"},
	"paging.search_name":   {"按名称查找", "Search by name"},
	"paging.search":        {"查找", "Search"},
	"paging.clear":         {"全部", "Show all"},
	"paging.no_match":      {"没有名称包含这些字的结果。", "Nothing has a name containing that."},
	"err.invalid_cursor":   {"这个翻页链接已失效或被改动，请从第一页重新开始。", "This page link is broken or was changed: start again from the first page."},
}
