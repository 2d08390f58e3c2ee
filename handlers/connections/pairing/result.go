package pairing

import (
	"slices"
)

// result describes the groups (of vertices) and the people left out.
// It judges every group against the rules from scratch, so a baseline's
// groups, formed without the rules, are reported as truthfully as the
// matcher's.
func (r *round) result(groups [][]int, left []LeftOut) Result {
	var res Result
	rules := r.in.Rules
	checks := []Rule{RuleSize}
	if rules.CrossDepartment {
		checks = append(checks, RuleCrossDepartment)
	}
	if rules.SeniorYears > 0 {
		checks = append(checks, RuleSeniority)
	}
	if rules.Cooldown > 0 {
		checks = append(checks, RuleCooldown)
	}
	if len(r.avoid) > 0 {
		checks = append(checks, RuleAvoid)
	}
	report := make([]RuleReport, len(checks))
	for i, c := range checks {
		report[i].Rule = c
	}
	needed := map[int]Relaxation{}
	for _, members := range groups {
		members = slices.Clone(members)
		slices.SortFunc(members, func(a, b int) int { return r.input[a] - r.input[b] })
		g := Group{}
		for _, v := range members {
			g.Members = append(g.Members, r.people[v].ID)
		}
		for i, u := range members {
			for _, v := range members[i+1:] {
				g.Weight += r.weight(u, v, &g.Reasons)
				if need, ok := r.needs(u, v); ok && need > NoRelaxation {
					for _, x := range []int{u, v} {
						if r.level[x] >= need && need > needed[x] {
							needed[x] = need
						}
					}
				}
			}
		}
		for i, rule := range checks {
			c := r.check(rule, members)
			g.Checks = append(g.Checks, c)
			switch {
			case c.Met:
				report[i].Met++
			case c.Relaxed:
				report[i].Relaxed++
			default:
				report[i].Unmet++
			}
		}
		res.Weight += g.Weight
		res.Groups = append(res.Groups, g)
	}
	slices.SortFunc(res.Groups, func(a, b Group) int {
		return r.input[r.index[a.Members[0]]] - r.input[r.index[b.Members[0]]]
	})
	for v := range r.n() {
		if needed[v] > NoRelaxation {
			res.Relaxed = append(res.Relaxed, Relaxed{ID: r.people[v].ID, Relaxation: needed[v]})
		}
	}
	slices.SortFunc(res.Relaxed, func(a, b Relaxed) int { return r.input[r.index[a.ID]] - r.input[r.index[b.ID]] })
	slices.SortFunc(left, func(a, b LeftOut) int { return r.input[r.index[a.ID]] - r.input[r.index[b.ID]] })
	res.LeftOut = left
	res.Report = report
	return res
}

// check judges one group against one rule.
func (r *round) check(rule Rule, members []int) Check {
	c := Check{Rule: rule, Met: true}
	rules := r.in.Rules
	switch rule {
	case RuleSize:
		size := len(members)
		if rules.Size == Cafes {
			c.Met = size >= 3 && size <= 4
		} else {
			c.Met = size == 2 || size == 3 && rules.AllowThree
		}
		return c
	case RuleSeniority:
		c.Met = slices.ContainsFunc(members, r.senior)
		return c
	}
	// The pair rules: broken if any two members break them; relaxed if
	// every such pair is allowed by a relaxation one of them was given.
	relaxed := true
	for i, u := range members {
		for _, v := range members[i+1:] {
			var broken bool
			var step Relaxation
			switch rule {
			case RuleCrossDepartment:
				broken, step = r.sameDept(u, v), SameDepartmentAllowed
			case RuleCooldown:
				broken, step = r.withinCooldown(u, v, rules.Cooldown), CooldownHalved
			case RuleAvoid:
				broken = r.avoid[key(u, v)]
			}
			if !broken {
				continue
			}
			c.Met = false
			_, ok := r.needs(u, v)
			relaxed = relaxed && ok && step > NoRelaxation && max(r.level[u], r.level[v]) >= step
		}
	}
	c.Relaxed = !c.Met && relaxed
	return c
}
