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
