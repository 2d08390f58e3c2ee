// Command gentips writes N generated Japanese tips as JSON Lines for
// "soudan import tips", to measure import, export and the indexes at
// scale: go run ./cmd/gentips -n 100000 > /tmp/tips.jsonl. The same seed
// gives the same file.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

var (
	topics = []string{"IT・Teams", "人事", "海外赴任", "子女教育", "国会業務", "引継ぎ", "ワークライフバランス", "キャリア"}
	words  = strings.Fields("VPN Teams 在宅勤務 テレワーク 年休 出張 旅費 精算 印刷 共有フォルダ パスワード 異動 引継ぎ 子ども 学校 赴任 手当 申請 会議 議事録 答弁 質問主意書 メール 予算 決裁")
	verbs  = []string{"できない", "の手順", "の申請方法", "で困ったとき", "の注意点", "を早く済ませるには"}
)

// tip is one line of the file.
type tip struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Topic string   `json:"topic"`
	Tags  []string `json:"tags"`
	Lang  string   `json:"lang"`
	Links []string `json:"links,omitempty"`
}

func main() {
	n := flag.Int("n", 10000, "how many tips")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 0))
	pick := func(k int) []string {
		p := rng.Perm(len(words))[:k]
		out := make([]string, k)
		for i, j := range p {
			out[i] = words[j]
		}
		return out
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i := range *n {
		ws := pick(3)
		var body []string
		for range 4 {
			s := pick(3)
			body = append(body, fmt.Sprintf("%sは%sを確認してから%sします", s[0], s[1], s[2]))
		}
		t := tip{ID: fmt.Sprintf("g%06d", i), Title: fmt.Sprintf("%s%s %d", ws[0], verbs[i%len(verbs)], i), Body: strings.Join(body, "。"),
			Topic: topics[i%len(topics)], Tags: ws[1:], Lang: "ja"}
		if i%10 == 0 {
			t.Links = []string{fmt.Sprintf("https://intra.example.jp/m/%d", i)}
		}
		if err := enc.Encode(t); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
