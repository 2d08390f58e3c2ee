package surveydef

// EngagementID is the id of the built-in monthly engagement survey.
const EngagementID = "engagement"

// Engagement is the built-in monthly engagement survey, in soudan's own
// wording: one 0-10 recommendation item (eNPS), five 1-5 items (meaningful
// work, growth, support from the boss and colleagues, physical and mental
// health, ease of working) and an optional comment.
func Engagement() Definition {
	return Definition{
		ID:    EngagementID,
		Title: Text{"ja": "毎月のエンゲージメント調査", "en": "Monthly engagement survey"},
		Intro: Text{
			"ja": "今月のあなたの働き方について教えてください（2〜3分）。1〜5の項目は 1: まったくそう思わない 〜 5: とてもそう思う でお答えください。",
			"en": "Tell us how work has been for you this month (2-3 minutes). For the 1-5 items, 1 means strongly disagree and 5 strongly agree.",
		},
		Items: []Item{
			{ID: "recommend", Kind: KindScale0to10, Short: Text{"ja": "職場の推奨度", "en": "Recommend"}, Title: Text{
				"ja": "友人や知人に、この職場で働くことをどのくらい勧めたいですか（0: まったく勧めない 〜 10: ぜひ勧めたい）",
				"en": "How likely would you be to suggest this workplace to a friend looking for a job? (0 = not at all, 10 = certainly)",
			}},
			{ID: "meaning", Kind: KindScale1to5, Short: Text{"ja": "やりがい", "en": "Worth doing"}, Title: Text{
				"ja": "今の仕事は、自分にとって取り組む価値があると感じる",
				"en": "The work I am doing now feels worth my effort",
			}},
			{ID: "growth", Kind: KindScale1to5, Short: Text{"ja": "成長", "en": "Growth"}, Title: Text{
				"ja": "この1か月で、これから役立つ経験や力が身についた",
				"en": "This month I picked up experience or skills that will serve me later",
			}},
			{ID: "support", Kind: KindScale1to5, Short: Text{"ja": "支え合い", "en": "Support"}, Title: Text{
				"ja": "行き詰まったとき、上司や周りの同僚が手を貸してくれる",
				"en": "When I am stuck, my boss and the colleagues around me lend a hand",
			}},
			{ID: "health", Kind: KindScale1to5, Short: Text{"ja": "心身の健康", "en": "Health"}, Title: Text{
				"ja": "体も心も、無理なく働ける状態にある",
				"en": "Physically and mentally, I am in a state to work without strain",
			}},
			{ID: "ease", Kind: KindScale1to5, Short: Text{"ja": "働きやすさ", "en": "Ease of work"}, Title: Text{
				"ja": "仕事の量や時間、職場の雰囲気を含めて、働きやすい",
				"en": "Taking workload, hours and atmosphere together, this is an easy place to work",
			}},
			{ID: "comment", Kind: KindText, Optional: true, Title: Text{
				"ja": "ほかに伝えたいことがあれば、自由にお書きください（任意）",
				"en": "Anything else you would like to tell us? (optional)",
			}},
		},
	}
}
