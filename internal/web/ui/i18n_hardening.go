package ui

// hardeningMessages are the error messages of the input rules that every
// form shares (docs/architecture.md, "Input rules").
var hardeningMessages = map[string][2]string{
	"err.invalid_character": {"不能包含控制字符、换行、双向文本控制字符或私用区字符。", "Must not contain control, line-break, bidirectional-formatting or private-use characters."},
	"err.invalid_utf8":      {"内容须为有效的 UTF-8 编码。", "The text must be valid UTF-8."},
}
