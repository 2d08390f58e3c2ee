package slack

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
