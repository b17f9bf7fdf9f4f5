package search

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// The vocabulary of the generated market at scale: words customers
// search for and the words around them.
var (
	scaleZh = strings.Fields(`考勤 审批 报销 合同 发票 打卡 排班 客户 会员 考试 培训 文档 会议 工资 社保 个税 招聘 绩效 目标 项目
		任务 库存 物流 资产 知识 问卷 车队 能耗 访客 工单 设备 巡检 采购 供应商 仓储 门店 收银 积分 营销 直播
		短信 邮件 表单 流程 报表 数据 分析 看板 预算 费用 差旅 出差 加班 请假 调休 人脸 定位 外勤 销售 商机
		线索 回款 订单 售后 服务 客服 工厂 车间 生产 质检 安全 合规 法务 签章 印章 档案 学习 课程 证书 题库
		阅卷 门禁 停车 食堂 宿舍 餐饮 酒店 医疗 药店 学校 家校 作业 班级 物业 巡更 保洁 维修 租赁 财务 税务
		智能 移动 在线 云端 企业 团队 员工 管理 平台 系统 助手 工具 中心 一站式 自动 实时 高效 便捷 专业 安心`)
	scaleEn = strings.Fields(`attendance approval expense contract invoice clock shift customer member exam training document meeting
		payroll insurance tax recruiting performance goal project task inventory logistics asset knowledge survey fleet
		energy visitor ticket device inspection purchase supplier warehouse store checkout points marketing live sms
		email form workflow report data analytics dashboard budget travel overtime leave face location field sales deal
		lead payment order support service factory production quality safety compliance legal seal archive learning
		course certificate smart mobile online cloud enterprise team staff management platform system assistant tool`)
)

// scaleChars are common characters the generated words are made of.
const scaleChars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"

// scaleDocs generates n listings of about 200 characters of text each.
func scaleDocs(n int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, 2))
	pool := []rune(scaleChars)
	// A quarter of the words come from the vocabulary customers search
	// for, the rest are pairs of common characters: so a word such as 考勤
	// is in about one listing in ten, as common words are in a market.
	zh := func(k int) string {
		var b strings.Builder
		for range k {
			if r.IntN(4) == 0 {
				b.WriteString(scaleZh[r.IntN(len(scaleZh))])
			} else {
				b.WriteRune(pool[r.IntN(len(pool))])
				b.WriteRune(pool[r.IntN(len(pool))])
			}
		}
		return b.String()
	}
	en := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = scaleEn[r.IntN(len(scaleEn))]
		}
		return strings.Join(ws, " ")
	}
	cats := []string{"approval", "docs", "attendance", "payroll", "expense", "invoice", "crm", "contract", "retail", "edu"}
	docs := make([]Doc, n)
	for i := range docs {
		d := Doc{ID: fmt.Sprintf("s%06d", i), Name: zh(2), NameEn: en(2), Subtitle: zh(4), SubtitleEn: en(5),
			Description: zh(20) + "，" + zh(20) + "。", DescriptionEn: en(25), Tags: []string{zh(1), zh(1)}, SpecNames: []string{"基础版", "专业版"},
			Partner: zh(1) + "科技", Installs: int64(r.IntN(10000)), Free: r.IntN(3) == 0, Trial: r.IntN(2) == 0,
			LowestPrice: int64(r.IntN(20)) * 500, Listed: int64(i)}
		docs[i] = withCategory(d, cats[r.IntN(len(cats))])
	}
	return docs
}

// naiveScan is the baseline: every listing's texts searched for the query
// as a substring, the way the market page searched before the index.
func naiveScan(docs []Doc, q string) int {
	q = strings.ToLower(q)
	n := 0
	for i := range docs {
		found := false
		docs[i].fields(func(text string, _ int) {
			if !found && strings.Contains(strings.ToLower(text), q) {
				found = true
			}
		})
		if found {
			n++
		}
	}
	return n
}

// cpuTime is the CPU time this process has used: on a shared machine it
// says what the work costs better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the CPU time of the calling thread, to the nanosecond
// (clock_gettime of CLOCK_THREAD_CPUTIME_ID; getrusage counts in ticks
// of 4 ms).
func threadCPU() time.Duration {
	const clockThreadCPUTime = 3
	var ts syscall.Timespec
	if _, _, errno := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

func percentile(ds []time.Duration, p float64) time.Duration {
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

// scaleKinds are the kinds of query measured, each with its queries.
var scaleKinds = []struct {
	name    string
	queries []string
}{
	{"two-character Chinese", []string{"考勤", "审批", "报销", "合同", "发票", "客户", "培训", "会议"}},
	{"longer Chinese", []string{"考勤打卡", "报销审批", "电子合同", "客户管理系统"}},
	{"pinyin", []string{"kaoqin", "kq", "shenpi", "baoxiao", "hetong"}},
	{"English", []string{"attendance", "attendence", "approvals", "contract", "invoic"}},
}

// TestScaleReport measures the index at 100,000 listings against a naive
// scan, for docs/benchmarks.md. It runs only when SHELF_SEARCH_REPORT is
// set: it takes a minute and its figures are not assertions.
func TestScaleReport(t *testing.T) {
	if os.Getenv("SHELF_SEARCH_REPORT") == "" {
		t.Skip("set SHELF_SEARCH_REPORT=1 to measure the index at 100,000 listings")
	}
	docs := scaleDocs(100_000, 1)
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("load average at start: %s", strings.TrimSpace(string(la)))
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	x := New()
	start, cpu0 := time.Now(), cpuTime()
	x.Replace(docs)
	build, cpu := time.Since(start), cpuTime()-cpu0
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("build %v (CPU %v), heap held by the index %.1f MB (the docs' texts themselves are shared with the caller)", build, cpu, float64(after.HeapAlloc-before.HeapAlloc)/1e6)
	t.Logf("| queries | index p50 | index p99 | index p99, CPU of its thread | naive scan p50 | ratio (scan/index, p50) |")
	t.Logf("|---|---|---|---|---|---|")
	// The index's queries first, the naive scans after: a scan makes
	// hundreds of megabytes of garbage whose collection would otherwise
	// land in the index's tail.
	// The CPU time of the query's thread is measured beside the wall
	// clock: on a loaded machine the wall clock's tail is mostly the time
	// the thread waited for a core.
	index := make([][]time.Duration, len(scaleKinds))
	cpus := make([][]time.Duration, len(scaleKinds))
	runtime.LockOSThread()
	runtime.GC()
	var gc0, gc1 runtime.MemStats
	runtime.ReadMemStats(&gc0)
	for i, k := range scaleKinds {
		for range 50 {
			for _, q := range k.queries {
				s, c := time.Now(), threadCPU()
				x.Search(Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: 20})
				index[i] = append(index[i], time.Since(s))
				cpus[i] = append(cpus[i], threadCPU()-c)
			}
		}
	}
	runtime.ReadMemStats(&gc1)
	runtime.UnlockOSThread()
	t.Logf("garbage collections during the index's queries: %d", gc1.NumGC-gc0.NumGC)
	for i, k := range scaleKinds {
		var naive []time.Duration
		for range 2 {
			for _, q := range k.queries {
				s := time.Now()
				naiveScan(docs, q)
				naive = append(naive, time.Since(s))
			}
		}
		p50, p99, n50 := percentile(index[i], 0.5), percentile(index[i], 0.99), percentile(naive, 0.5)
		t.Logf("| %s | %v | %v | %v | %v | %.0f× |", k.name, p50, p99, percentile(cpus[i], 0.99), n50, float64(n50)/float64(p50))
	}
	for _, q := range []string{"考勤", "kaoqin", "attendance"} {
		t.Logf("%s: %d of 100,000 match", q, x.Search(Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: 1}).Total)
	}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("load average at the end: %s", strings.TrimSpace(string(la)))
	}
	runtime.KeepAlive(x)
}

// BenchmarkBuild builds the index of 100,000 generated listings, for
// profiling the build (go test -bench Build -benchtime 1x -cpuprofile).
func BenchmarkBuild(b *testing.B) {
	docs := scaleDocs(100_000, 1)
	b.ResetTimer()
	for range b.N {
		New().Replace(docs)
	}
}
