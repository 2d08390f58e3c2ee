package help

import (
	"context"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Feature is the help command: every command the router knows, with its
// usage, in the user's language.
type Feature struct {
	*handlers.Kit
}

// New returns the help feature.
func New(k *handlers.Kit) *Feature { return &Feature{Kit: k} }

// Register adds the help command.
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(bot.Command{
		Name:     "help",
		Aliases:  []string{"ヘルプ", "へるぷ", "?"},
		UsageKey: "usage.help",
		Handler:  a.help,
		MaxWords: 1, // "help ask"; "help me understand the transfer process" is a question
	})
}

// help answers /soudan help [command]: every command the user may run,
// with its usage, admin commands apart and only for those who hold the
// role.
func (a *Feature) help(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	cmds := a.Commands()
	// "help ask" explains one command. Anything else after help gets the
	// whole list, never an error ("help me with Teams" typed in a DM), led
	// by "no such command" when it is one word ("help nosuch"); admin
	// commands stay hidden from those who may not run them.
	if c, ok := a.helpTopic(u, cmds, m.Args); ok {
		_, err := r.Reply(ctx, bot.Reply{
			Ephemeral: !m.Direct,
			Title:     a.T(u, "help.command.title", "Command", c.Name),
			Text:      forPlatform(m.Address.Platform, a.Config.Prefix, strings.Join(a.helpLines(u, c, "/"+a.Config.Prefix, ""), "\n")),
		})
		return err
	}
	var everyone, restricted []string
	for _, c := range cmds {
		switch {
		case c.Role == "":
			everyone = append(everyone, a.helpLines(u, c, "/"+a.Config.Prefix, "")...)
		case mayUse(u, c.Role):
			restricted = append(restricted, a.helpLines(u, c, "/"+a.Config.Prefix, "")...)
		}
	}
	text := strings.Join(everyone, "\n") + "\n\n" + a.T(u, "help.how_to_ask", "Command", "/"+a.Config.Prefix)
	if len(m.Args) == 1 {
		// One word after help names a command: say there is none (or none
		// this user may run) before the list.
		text = a.T(u, "help.no_such_command", "Command", handlers.Excerpt(m.Args[0], 40)) + "\n\n" + text
	}
	if len(restricted) > 0 {
		text += "\n\n" + a.T(u, "help.admin_header") + "\n" + strings.Join(restricted, "\n")
	}
	_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "help.title"), Text: forPlatform(m.Address.Platform, a.Config.Prefix, text)})
	return err
}

// forPlatform writes command lines the way the platform's users type
// them: Teams has no slash commands, so "/soudan ask" is typed "ask" (in
// a channel, after mentioning the bot).
func forPlatform(platform, prefix, text string) string {
	if platform != bot.PlatformTeams {
		return text
	}
	return strings.ReplaceAll(text, "/"+prefix+" ", "")
}

// helpTopic finds the command the first argument names, if u may run it.
func (a *Feature) helpTopic(u store.User, cmds []bot.Command, args []string) (bot.Command, bool) {
	if len(args) == 0 {
		return bot.Command{}, false
	}
	c, ok := bot.FindCommand(cmds, args[0])
	return c, ok && mayUse(u, c.Role)
}

// helpLines describes c and, indented, its subcommands that u may run.
// A usage text shows the whole command line and what it does.
func (a *Feature) helpLines(u store.User, c bot.Command, parent, indent string) []string {
	path := parent + " " + c.Name
	usage := "`" + path + "`"
	if c.UsageKey != "" {
		usage = a.T(u, c.UsageKey)
	}
	line := a.T(u, "help.line", "Indent", indent, "Usage", usage)
	if len(c.Aliases) > 0 {
		line += a.T(u, "help.aliases", "Aliases", strings.Join(c.Aliases, a.T(u, "people.list_sep")))
	}
	lines := []string{line}
	for _, s := range c.Sub {
		if mayUse(u, s.Role) {
			lines = append(lines, a.helpLines(u, s, path, indent+"　")...)
		}
	}
	return lines
}

// mayUse reports whether u may run a command that needs role, by the same
// rule as the router's check: the role itself, or admin.
func mayUse(u store.User, role string) bool {
	return role == "" || u.HasRole(role) || u.HasRole(store.RoleAdmin)
}
