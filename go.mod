module github.com/soudan/soudan

go 1.26.8

require golang.org/x/text v0.43.0

require github.com/google/shlex v0.0.0-20191202100458-e7afc7fbc510

require (
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/slack-go/slack v0.35.0 // indirect
)

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/nicksnyder/go-i18n/v2 v2.7.0
	github.com/peterbourgon/ff/v3 v3.4.0
	github.com/robfig/cron/v3 v3.0.1
	go.etcd.io/bbolt v1.5.0
	golang.org/x/sys v0.45.0 // indirect
)
