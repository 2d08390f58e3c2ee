package store_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/storetest"
)

// openClockedFile is openClocked on a bbolt file whatever
// SOUDAN_TEST_STORE says, for tests of what only a file has (the bytes of
// its backup).
func openClockedFile(t *testing.T) (*store.Store, *testclock.Clock) {
	t.Helper()
	c := testclock.New(t0)
	return storetest.MustOpenFile(t, store.Options{Now: c.Now}), c
}

// onPostgres are the tests of the store's major entities that every
// `go test` runs again on PostgreSQL (TestMajorEntitiesOnPostgres); CI
// runs the whole suite there too (SOUDAN_TEST_STORE=postgres).
var onPostgres = []string{
	// users, topics, mentors
	"TestEnsureUser", "TestRoles", "TestUsersByNameAcrossPlatforms", "TestCreateTopicCollisions",
	"TestUpdateTopicReindexesNames", "TestMentorsByTopicFollowsEdits", "TestMentorLoad",
	// consultations, concurrent ones included, and idempotence by event
	"TestCreateConsultationIsIdempotentByEvent", "TestAddConsultMessageIsIdempotentByEvent",
	"TestUpdateConsultationMovesIndexes", "TestConsultationListsOrder", "TestConcurrentCreates",
	"TestMarkEvent", "TestInboxRecordsOnceAndForgetsWhenDone",
	// the outbox
	"TestEnqueueOutboxIsIdempotentByKey", "TestClaimDueTakesDueItemsInOrderAndRecordsTheAttempt",
	"TestConcurrentMarksAreAllRecorded", "TestUpdateConsultationAndEnqueueIsAtomic",
	// tips and search, surveys, periods, statistics, forget, retention
	"TestSearchTipsBigramTrap", "TestTipUpdateDeleteAndIndex", "TestSurveyAnswerEditKeepsTalliesRight",
	"TestCloseForgetsCountsOfASmallRound", "TestClaimPeriod", "TestMonthlyCounters", "TestForgetUser",
	"TestPurgeConsultationsBatchedAndIdempotent",
	// the unit of work
	"TestUpdateCommitsAllOrNothing", "TestOnCommitRunsOnceAfterCommit", "TestCommitsCountsWriteTransactions",
	"TestWriteVerbInViewFails", "TestWriteTransactionsRerunUnderRetry",
}

// TestMajorEntitiesOnPostgres runs onPostgres in a child process whose
// stores are PostgreSQL databases on this binary's server, and checks
// that every one of them ran and passed there.
func TestMajorEntitiesOnPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvEngine) == "postgres" {
		t.Skip("every test of this run is on PostgreSQL already")
	}
	server := pgtest.ServerURL(t)
	cmd := exec.Command(os.Args[0], "-test.run", "^("+strings.Join(onPostgres, "|")+")$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), storetest.EnvEngine+"=postgres", pgtest.EnvURL+"="+server, pgtest.EnvRequired+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the store's tests on PostgreSQL: %v\n%s", err, out)
	}
	for _, name := range onPostgres {
		if !regexp.MustCompile(`(?m)^--- PASS: ` + name + ` `).Match(out) {
			t.Errorf("%s did not pass on PostgreSQL (not run?)\n%s", name, out)
		}
	}
}
