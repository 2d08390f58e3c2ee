package handlers

import "time"

// MonthLayout is how a month is written: "2006-01".
const MonthLayout = "2006-01"

// Month is the month of t in the configured location, "2006-01": the key
// of the monthly counters (store.Tx.AddMonthly) and of /soudan stats.
func (k *Kit) Month(t time.Time) string { return t.In(k.Config.Location).Format(MonthLayout) }
