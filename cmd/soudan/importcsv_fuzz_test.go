package main

import (
	"slices"
	"testing"
)

// FuzzParseUsersCSV feeds arbitrary bytes to the users CSV parser: it must
// never panic, and what it accepts must be valid rows. Seeds are in
// testdata/fuzz/FuzzParseUsersCSV.
func FuzzParseUsersCSV(f *testing.F) {
	f.Add([]byte("platform,workspace,user,email,name,department,join_year,job_type,posting,manager_of\nslack,T1,U1,,佐藤,総務課,2015,技術,hq,総務課\n"))
	f.Add([]byte("\uFEFF部署,入省年,プラットフォーム,ワークスペース,ユーザーID\r\n総務課,２０１５,Slack,T1,U1\r\n"))
	f.Add([]byte("platform,workspace,email\nslack,T1,\"a@b\"\"c\"\nteams,t,x@y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		uf := parseUsersCSV(data, 2026)
		if !slices.IsSortedFunc(uf.Errors, func(a, b lineError) int { return a.Line - b.Line }) {
			t.Errorf("errors not in line order: %v", uf.Errors)
		}
		for _, r := range uf.Rows {
			switch {
			case r.Line < 2:
				t.Errorf("row on line %d, before the header ends", r.Line)
			case r.Platform != "slack" && r.Platform != "teams":
				t.Errorf("line %d: platform %q accepted", r.Line, r.Platform)
			case r.Workspace == "" || (r.UserID == "" && r.Email == ""):
				t.Errorf("line %d: row without a key accepted: %+v", r.Line, r)
			case r.JoinYear != 0 && (r.JoinYear < minImportJoinYear || r.JoinYear > 2026):
				t.Errorf("line %d: join year %d accepted", r.Line, r.JoinYear)
			}
		}
	})
}
