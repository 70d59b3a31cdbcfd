// Package promql evaluates the platform's alert rules with the real Prometheus engine
// (github.com/prometheus/prometheus: promql, rules, promqltest) against recorded samples shaped
// like the exporters' own metrics, minute by minute, the way a rule group is evaluated.
//
// The rules come from testdata/rules.json, written from components/kubernetes/alert-rules.ts
// (`node -r tsx/cjs monitoring/write-rules.ts`; the mocha suite fails when it is stale).
// Every rule needs at least one case where it fires and one where it does not, and every
// mutation of a rule (a metric renamed, a label value changed, a number or the hold time doubled
// or halved) must change the outcome of at least one case: a wrong metric name or threshold fails.
//
// Run: npm run test:alerts (or: cd monitoring/promql && go test ./...).
package promql

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/storage"
)

type rule struct {
	Group      string `json:"group"`
	Alert      string `json:"alert"`
	Expr       string `json:"expr"`
	ForSeconds int    `json:"forSeconds"`
}

func loadRules(t *testing.T) []rule {
	t.Helper()
	raw, err := os.ReadFile("testdata/rules.json")
	if err != nil {
		t.Fatalf("read rules: %v", err)
	}
	var doc struct {
		Rules []rule `json:"rules"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("parse rules.json: %v", err)
	}
	if len(doc.Rules) == 0 {
		t.Fatal("rules.json has no rules")
	}
	return doc.Rules
}

// Stock parser options: no experimental syntax, so a rule that parses here parses in any
// Prometheus and in Azure Monitor's rule groups.
var stockParser = parser.NewParser(parser.Options{})

func newEngine() *promql.Engine {
	return promql.NewEngine(promql.EngineOpts{
		MaxSamples: 50_000_000,
		Timeout:    30 * time.Second,
		Parser:     stockParser,
	})
}

// firing evaluates the rule every minute from 0 to `until` (as a rule group with a one-minute
// interval does) and returns the label sets of the alerts firing at `until`.
func firing(t *testing.T, engine *promql.Engine, st storage.Storage, alert string, expr parser.Expr, hold time.Duration, until time.Duration) []labels.Labels {
	t.Helper()
	r := rules.NewAlertingRule(alert, expr, hold, 0, labels.EmptyLabels(), labels.EmptyLabels(), labels.EmptyLabels(), "", false, nil)
	query := rules.EngineQueryFunc(engine, st)
	start := time.Unix(0, 0).UTC()
	for ts := time.Duration(0); ts <= until; ts += time.Minute {
		if _, err := r.Eval(context.Background(), 0, start.Add(ts), query, nil, 0); err != nil {
			t.Fatalf("%s: eval at %s: %v", alert, ts, err)
		}
	}
	var out []labels.Labels
	for _, a := range r.ActiveAlerts() {
		if a.State == rules.StateFiring {
			out = append(out, a.Labels)
		}
	}
	return out
}

// outcome is a comparable summary: the sorted label sets of the firing alerts, each reduced to
// the labels the case names.
func outcome(fired []labels.Labels, keys []string) string {
	var parts []string
	for _, l := range fired {
		var kv []string
		for _, k := range keys {
			kv = append(kv, k+"="+l.Get(k))
		}
		parts = append(parts, "{"+strings.Join(kv, ",")+"}")
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func expected(c alertCase) string {
	var parts []string
	for _, want := range c.fires {
		var kv []string
		for _, k := range c.keys() {
			kv = append(kv, k+"="+want[k])
		}
		parts = append(parts, "{"+strings.Join(kv, ",")+"}")
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func TestEveryRuleParsesWithTheStockParser(t *testing.T) {
	for _, r := range loadRules(t) {
		if _, err := stockParser.ParseExpr(r.Expr); err != nil {
			t.Errorf("%s: %v\n  %s", r.Alert, err, r.Expr)
		}
	}
}

func TestEveryRuleHasFiringAndQuietCases(t *testing.T) {
	fires, quiet := map[string]int{}, map[string]int{}
	for _, c := range cases {
		if len(c.fires) > 0 {
			fires[c.alert]++
		} else {
			quiet[c.alert]++
		}
	}
	for _, r := range loadRules(t) {
		if fires[r.Alert] == 0 || quiet[r.Alert] == 0 {
			t.Errorf("%s needs a case where it fires and one where it does not (has %d and %d)", r.Alert, fires[r.Alert], quiet[r.Alert])
		}
	}
	names := map[string]bool{}
	for _, r := range loadRules(t) {
		names[r.Alert] = true
	}
	for _, c := range cases {
		if !names[c.alert] {
			t.Errorf("case %q names %s, which is not a rule", c.name, c.alert)
		}
	}
}

type loaded struct {
	c  alertCase
	st storage.Storage
}

func loadCases(t *testing.T, alert string) []loaded {
	t.Helper()
	var out []loaded
	for _, c := range cases {
		if c.alert == alert {
			out = append(out, loaded{c, promqltest.LoadedStorage(t, c.load)})
		}
	}
	return out
}

func TestAlertsFireOnRecordedSamples(t *testing.T) {
	all := loadRules(t)
	engine := newEngine()
	for _, r := range all {
		expr, err := stockParser.ParseExpr(r.Expr)
		if err != nil {
			t.Fatalf("%s: %v", r.Alert, err)
		}
		for _, l := range loadCases(t, r.Alert) {
			got := outcome(firing(t, engine, l.st, r.Alert, expr, time.Duration(r.ForSeconds)*time.Second, l.c.at), l.c.keys())
			if want := expected(l.c); got != want {
				t.Errorf("%s / %s at %s:\n  firing %q\n  want   %q", r.Alert, l.c.name, l.c.at, got, want)
			}
		}
	}
}

// A mutant is the rule with one thing changed; the cases must notice.
type mutant struct {
	what string
	expr string
	hold time.Duration
}

func mutants(t *testing.T, r rule) []mutant {
	t.Helper()
	hold := time.Duration(r.ForSeconds) * time.Second
	var out []mutant
	// Count the mutation points on a fresh parse, then mutate each on its own fresh parse.
	countNodes := func(pick func(parser.Node) bool) int {
		expr, err := stockParser.ParseExpr(r.Expr)
		if err != nil {
			t.Fatalf("%s: %v", r.Alert, err)
		}
		n := 0
		parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
			if pick(node) {
				n++
			}
			return nil
		})
		return n
	}
	mutateNth := func(pick func(parser.Node) bool, k int, change func(parser.Node) string) mutant {
		expr, _ := stockParser.ParseExpr(r.Expr)
		i, what := 0, ""
		parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
			if pick(node) {
				if i == k {
					what = change(node)
				}
				i++
			}
			return nil
		})
		return mutant{what: what, expr: expr.String(), hold: hold}
	}

	isSelector := func(n parser.Node) bool { _, ok := n.(*parser.VectorSelector); return ok }
	for k := 0; k < countNodes(isSelector); k++ {
		out = append(out, mutateNth(isSelector, k, func(n parser.Node) string {
			vs := n.(*parser.VectorSelector)
			old := vs.Name
			vs.Name += "_mutated"
			for i, m := range vs.LabelMatchers {
				if m.Name == labels.MetricName {
					vs.LabelMatchers[i] = labels.MustNewMatcher(m.Type, m.Name, vs.Name)
				}
			}
			return "metric " + old + " renamed"
		}))
	}
	// Label matchers other than the metric name, counted across all selectors.
	type matcherRef struct{ sel, idx int }
	var refs []matcherRef
	{
		expr, _ := stockParser.ParseExpr(r.Expr)
		s := 0
		parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
			if vs, ok := node.(*parser.VectorSelector); ok {
				for i, m := range vs.LabelMatchers {
					if m.Name != labels.MetricName {
						refs = append(refs, matcherRef{s, i})
					}
				}
				s++
			}
			return nil
		})
	}
	for _, ref := range refs {
		out = append(out, mutateNth(isSelector, ref.sel, func(n parser.Node) string {
			vs := n.(*parser.VectorSelector)
			m := vs.LabelMatchers[ref.idx]
			vs.LabelMatchers[ref.idx] = labels.MustNewMatcher(m.Type, m.Name, "mutated")
			return fmt.Sprintf("matcher %s changed", m)
		}))
	}
	isNumber := func(n parser.Node) bool { nl, ok := n.(*parser.NumberLiteral); return ok && nl.Val != 0 }
	for k := 0; k < countNodes(isNumber); k++ {
		for _, f := range []float64{2, 0.5} {
			out = append(out, mutateNth(isNumber, k, func(n parser.Node) string {
				nl := n.(*parser.NumberLiteral)
				old := nl.Val
				nl.Val *= f
				return fmt.Sprintf("number %g × %g", old, f)
			}))
		}
	}
	if hold > 0 {
		for _, f := range []float64{2, 0.5} {
			out = append(out, mutant{what: fmt.Sprintf("for %s × %g", hold, f), expr: r.Expr, hold: time.Duration(float64(hold) * f)})
		}
	}
	return out
}

func TestEveryMutationIsCaught(t *testing.T) {
	engine := newEngine()
	for _, r := range loadRules(t) {
		cs := loadCases(t, r.Alert)
		for _, m := range mutants(t, r) {
			expr, err := stockParser.ParseExpr(m.expr)
			if err != nil {
				t.Fatalf("%s: mutant %q does not parse: %v", r.Alert, m.what, err)
			}
			caught := false
			for _, l := range cs {
				if outcome(firing(t, engine, l.st, r.Alert, expr, m.hold, l.c.at), l.c.keys()) != expected(l.c) {
					caught = true
					break
				}
			}
			if !caught {
				t.Errorf("%s: no case notices the mutation %q (%s)", r.Alert, m.what, m.expr)
			}
		}
	}
}
