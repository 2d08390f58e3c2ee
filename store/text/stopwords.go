package text

// stopWords are words that carry no topic on their own: English function
// words and the Japanese particles, copulas and auxiliaries that stand as
// whole hiragana runs. All are in normalised form.
var stopWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range []string{
		// English
		"a", "an", "the", "it", "its", "is", "are", "was", "were", "be", "been", "am",
		"to", "of", "in", "on", "at", "for", "by", "with", "and", "or", "not", "no",
		"do", "does", "did", "can", "could", "will", "would", "should", "i", "you",
		"he", "she", "we", "they", "me", "my", "your", "our", "his", "her", "their",
		"them", "us", "this", "that", "these", "those", "what", "how", "why", "when",
		"where", "who", "which", "as", "if", "so", "but", "from", "into", "about",
		"up", "out", "there", "here", "very", "just", "also", "than", "then", "too",
		"have", "has", "had", "any", "some", "all",
		// Japanese particles and function words
		"の", "は", "が", "を", "に", "で", "と", "も", "へ", "や", "か", "ね", "よ",
		"な", "から", "まで", "より", "など", "って", "には", "では", "とは", "にも",
		"でも", "への", "との", "での", "の", "です", "ます", "でした", "ました",
		"ません", "でしょう", "だ", "た", "て", "し", "ので", "のに", "けど", "けれど",
		"けれども", "について", "として", "ください", "こと", "もの", "これ", "それ",
		"あれ", "この", "その", "あの", "ここ", "そこ", "いる", "ある", "する", "なる",
		"れる", "られる", "たい", "ない",
	} {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether w, once normalised, is a word that says
// nothing on its own: an English function word ("it", "a", "the", "on")
// or a Japanese particle or function word standing as a whole token ("の",
// "です", "について"). Such words never match a topic or a query by
// themselves (see Matcher for the one exception, "IT" in capitals).
func IsStopWord(w string) bool {
	if stopWords[w] {
		return true
	}
	n := Normalize(w)
	return n != w && stopWords[n]
}

// genericWords say what kind of help is wanted, not what it is about: a
// way, a procedure, an application, a rule. Unlike stop words they are
// indexed and searched (「テレワーク 申請」 ranks the application tip
// first), but a search hit does not need them: 「ダイエットの方法」 is not
// answered by a tip that speaks of a 方法. All are in normalised form.
var genericWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range []string{
		// Japanese
		"方法", "仕方", "やり方", "手順", "手続", "手続き", "仕組み", "流れ", "基本", "コツ",
		"ポイント", "注意点", "申請", "申込", "申込み", "申し込み", "届出", "届け出", "相談",
		"確認", "問題", "場合", "時", "とき", "件", "ルール", "規則", "方", "必要",
		// English
		"way", "ways", "method", "methods", "procedure", "procedures", "process", "steps",
		"guide", "tips", "rules", "rule", "apply", "application", "request", "requests",
		"help", "question", "problem", "issue", "best", "get", "make", "use", "need",
		"want", "much", "many", "know",
	} {
		m[w] = true
	}
	return m
}()

// IsGenericWord reports whether the normalised w says what kind of help
// is wanted rather than what it is about (方法, 申請, procedure, rules):
// a search scores it but does not need it for a hit.
func IsGenericWord(w string) bool { return genericWords[w] }
