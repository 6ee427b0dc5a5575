/*
 * main.c - the kmemlab program: options, machine selection, and which
 * input drives the session (-e lines and -f files in the order given,
 * else the REPL on a terminal, else standard input as a script).
 *
 * Exit status: 0 all commands succeeded, 1 some command failed (or an
 * invariant broke under --check), 2 a usage or configuration error.  An
 * interactive session ends with 0: errors at the prompt were answered.
 *
 * Copyright (C) 2026 the kmemlab authors.  GPL-3.0-or-later.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lab.h"
#include "tui.h"

enum {
	OPT_ALLOCATOR = 256, OPT_JSON, OPT_BAIL, OPT_CHECK, OPT_PRINT_CONFIG,
	OPT_LIST_MACHINES, OPT_VERSION, OPT_TUI, OPT_GEN_MAN, OPT_ONCE, OPT_SIZE,
	OPT_NO_COLOR, OPT_ASCII,
};

static const struct option long_options[] = {
	{ "machine", required_argument, NULL, 'm' },
	{ "allocator", required_argument, NULL, OPT_ALLOCATOR },
	{ "file", required_argument, NULL, 'f' },
	{ "execute", required_argument, NULL, 'e' },
	{ "echo", no_argument, NULL, 'x' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "bail", no_argument, NULL, OPT_BAIL },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
	{ "list-machines", no_argument, NULL, OPT_LIST_MACHINES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "gen-man-commands", no_argument, NULL, OPT_GEN_MAN },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs("usage: kmemlab [OPTIONS] [SCRIPT]\n"
	      "       kmemlab lab [NAME [-s SEED [-c | --check FILE]]]\n"
	      "An interactive explorer of the Linux 2.6.20 memory manager.\n"
	      "\n"
	      "  -m, --machine FILE|PRESET  machine to boot (default i386-1g)\n"
	      "      --allocator slab|slob  override the object allocator\n"
	      "  -f, --file FILE            run the commands in FILE\n"
	      "  -e, --execute CMD          run CMD (repeatable; with -f, in order)\n"
	      "  -x, --echo                 echo each command before its output\n"
	      "  -q, --quiet                print errors only\n"
	      "      --json                 one JSON object per command\n"
	      "      --bail                 stop at the first failing command\n"
	      "      --check                check every invariant after each command\n"
	      "      --print-config         print the machine as YAML and exit\n"
	      "      --list-machines        list the built-in machines and exit\n"
	      "      --tui                  the live dashboard (a -f FILE is played)\n"
	      "      --once                 with --tui: print one frame as text\n"
	      "      --size COLSxROWS       size of the --once frame (120x40)\n"
	      "      --no-color             the dashboard without colour\n"
	      "      --ascii                the dashboard without UTF-8 glyphs\n"
	      "  -h, --help                 this text\n"
	      "      --version              print the version\n"
	      "\n"
	      "Without -e or -f, commands come from the terminal (a readline\n"
	      "prompt) or from standard input.  Type 'help' for the commands;\n"
	      "see kmemlab(1) and kmemlab-commands(7).\n", f);
}

/* A name is a preset unless it looks like a path. */
static bool looks_like_file(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 5 && !strcmp(arg + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(arg + n - 4, ".yml"));
}

static int load_machine(const char *arg, struct kmem_config *cfg)
{
	char err[512];

	if (!arg)
		arg = kmem_config_preset_names()[0];
	if (!looks_like_file(arg) && !kmem_config_preset(arg, cfg))
		return 0;
	if (!looks_like_file(arg) && access(arg, F_OK)) {
		fprintf(stderr, "kmemlab: unknown machine '%s' (presets:", arg);
		for (const char *const *p = kmem_config_preset_names(); *p; p++)
			fprintf(stderr, " %s", *p);
		fprintf(stderr, "; or a YAML file)\n");
		return -1;
	}
	if (kmem_config_load_file(arg, cfg, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static void list_machines(void)
{
	for (const char *const *p = kmem_config_preset_names(); *p; p++) {
		const char *sum = kmem_config_preset_summary(*p);
		printf("%-14s %s\n", *p, sum ? sum : "");
	}
}

struct action {
	char kind;              /* 'e' or 'f' */
	const char *arg;        /* the command or the file */
};

int main(int argc, char **argv)
{
	const char *machine = NULL, *allocator = NULL;
	struct action *actions = calloc((size_t)argc + 1, sizeof *actions);
	size_t nactions = 0;
	unsigned flags = 0;
	bool print_config = false, tui = false;
	struct tui_options topt;
	int c, status = 2;

	if (!actions)
		cli_oom();
	if (argc > 1 && !strcmp(argv[1], "lab")) {     /* kmemlab lab ... */
		free(actions);
		return lab_main(argc - 1, argv + 1);
	}
	tui_options_default(&topt);
	opterr = 0;             /* our own messages, without argv[0]'s path */
	while ((c = getopt_long(argc, argv, ":m:f:e:xqh", long_options, NULL)) != -1) {
		switch (c) {
		case 'm': machine = optarg; break;
		case OPT_ALLOCATOR: allocator = optarg; break;
		case 'f':
		case 'e':
			actions[nactions].kind = (char)c;
			actions[nactions++].arg = optarg;
			break;
		case 'x': flags |= SESS_ECHO; break;
		case 'q': flags |= SESS_QUIET; break;
		case OPT_JSON: flags |= SESS_JSON; break;
		case OPT_BAIL: flags |= SESS_BAIL; break;
		case OPT_CHECK: flags |= SESS_CHECK; break;
		case OPT_PRINT_CONFIG: print_config = true; break;
		case OPT_LIST_MACHINES:
			list_machines();
			status = 0;
			goto out;
		case 'h':
			usage(stdout);
			status = 0;
			goto out;
		case OPT_VERSION:
			printf("kmemlab %s (models Linux 2.6.20)\n", KMEMLAB_VERSION);
			status = 0;
			goto out;
		case OPT_TUI: tui = true; break;
		case OPT_ONCE: topt.once = true; break;
		case OPT_NO_COLOR: topt.color = false; break;
		case OPT_ASCII: topt.ascii = true; break;
		case OPT_SIZE:
			if (sscanf(optarg, "%dx%d", &topt.cols, &topt.rows) != 2 ||
			    topt.cols < 20 || topt.rows < 10 || topt.cols > 1000 ||
			    topt.rows > 1000) {
				fprintf(stderr, "kmemlab: --size takes COLSxROWS "
					"(20x10 .. 1000x1000), not '%s'\n", optarg);
				status = 2;
				goto out;
			}
			break;
		case OPT_GEN_MAN:
			session_gen_man_commands(stdout);
			status = 0;
			goto out;
		case ':':
			fprintf(stderr, "kmemlab: option '%s' needs an argument\n"
				"Try 'kmemlab --help'.\n", argv[optind - 1]);
			status = 2;
			goto out;
		default:
			if (optopt >= 256 || optopt == 'x' || optopt == 'q' ||
			    optopt == 'h')
				fprintf(stderr, "kmemlab: option '%s' takes no "
					"argument\n", argv[optind - 1]);
			else if (optopt > ' ' && optopt < 127)
				fprintf(stderr, "kmemlab: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "kmemlab: unknown option '%s'\n",
					argv[optind - 1]);
			fputs("Try 'kmemlab --help'.\n", stderr);
			status = 2;
			goto out;
		}
	}
	for (int i = optind; i < argc; i++) {
		actions[nactions].kind = 'f';
		actions[nactions++].arg = argv[i];
	}
	const char *env = getenv("KMEMLAB_CHECK");
	if (env && env[0] && strcmp(env, "0"))
		flags |= SESS_CHECK;

	struct kmem_config cfg;
	if (load_machine(machine, &cfg))
		goto out;       /* status 2 */
	if (allocator) {
		if (!strcmp(allocator, "slab"))
			cfg.allocator = KMEM_ALLOC_SLAB;
		else if (!strcmp(allocator, "slob"))
			cfg.allocator = KMEM_ALLOC_SLOB;
		else {
			fprintf(stderr, "kmemlab: --allocator takes slab or slob, "
				"not '%s'\n", allocator);
			status = 2;
			goto out;
		}
	}
	if (print_config) {
		struct kbuf b;
		kbuf_init(&b);
		kmem_config_emit_yaml(&cfg, &b);
		fputs(b.data ? b.data : "", stdout);
		kbuf_free(&b);
		status = 0;
		goto out;
	}
	for (size_t i = 0; i < nactions; i++)
		if (actions[i].kind == 'f' && access(actions[i].arg, R_OK)) {
			fprintf(stderr, "kmemlab: %s: cannot read: %s\n",
				actions[i].arg, strerror(errno));
			status = 2;
			goto out;
		}

	char err[512];
	struct session *s = session_new(&cfg, flags, err, sizeof err);
	if (!s) {
		fprintf(stderr, "kmemlab: %s\n", err);
		status = 2;
		goto out;
	}
	s->tui = topt;          /* --no-color, --ascii for `tui` and `play` */
	/* long replays write a lot: buffer stdout fully unless a terminal */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	/* --tui: -e lines run first and a -f file is played in the
	 * dashboard; with --once everything runs, then one frame prints */
	if (tui && !topt.once)
		for (size_t i = 0; i < nactions; i++)
			if (actions[i].kind == 'f') {
				topt.play_file = actions[i].arg;
				actions[i].kind = 0;
			}
	unsigned long elines = 0;
	for (size_t i = 0; i < nactions && !session_stopped(s); i++) {
		if (!actions[i].kind)
			continue;
		if (actions[i].kind == 'e') {
			session_set_location(s, "-e", ++elines);
			session_execute(s, actions[i].arg);
			session_set_location(s, NULL, 0);
		} else {
			session_run_file(s, actions[i].arg);
		}
	}
	if (tui) {
		status = 0;
		if (topt.once) {
			struct kbuf b;
			kbuf_init(&b);
			tui_render_text(s, &topt, &b);
			fputs(b.data ? b.data : "", stdout);
			kbuf_free(&b);
		} else if (tui_run(s, &topt)) {
			status = 2;
		}
		session_free(s);
		goto out;
	}
	bool interactive = !nactions && isatty(STDIN_FILENO);
	if (interactive)
		session_run_repl(s);
	else if (!nactions)
		session_run_fd(s, STDIN_FILENO, "<stdin>");
	/* a typo at the prompt is not a failure of the program */
	status = !interactive && session_errors(s) ? 1 : 0;
	session_free(s);
out:
	free(actions);
	fflush(stdout);
	return status;
}
