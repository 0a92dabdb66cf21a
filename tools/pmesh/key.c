// SPDX-License-Identifier: GPL-2.0
/*
 * Mesh keys on the command line: "pmesh genkey", and reading the key file
 * of "mesh add|set ... key FILE". A key is 32 bytes written as one line of
 * base64, as "wg genkey" writes one; every copy is wiped after use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "pmesh.h"

#define KEY_B64_LEN	44	/* 32 bytes: 43 characters and one '=' */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void key_encode(const uint8_t *key, char *out)
{
	for (int i = 0, o = 0; i < KEY_LEN; i += 3, o += 4) {
		uint32_t v = key[i] << 16;

		if (i + 1 < KEY_LEN)
			v |= key[i + 1] << 8;
		if (i + 2 < KEY_LEN)
			v |= key[i + 2];
		out[o] = b64[v >> 18 & 63];
		out[o + 1] = b64[v >> 12 & 63];
		out[o + 2] = i + 1 < KEY_LEN ? b64[v >> 6 & 63] : '=';
		out[o + 3] = i + 2 < KEY_LEN ? b64[v & 63] : '=';
	}
	out[KEY_B64_LEN] = '\0';
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? p - b64 : -1;
}

/* Exactly KEY_B64_LEN characters of base64 for KEY_LEN bytes, or -1. */
static int key_decode(const char *s, size_t n, uint8_t *key)
{
	uint32_t v = 0;
	int bits = 0, o = 0;

	if (n != KEY_B64_LEN || s[n - 1] != '=')
		return -1;
	for (size_t i = 0; i < n - 1; i++) {
		int d = b64_value(s[i]);

		if (d < 0)
			return -1;
		v = v << 6 | d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			key[o++] = v >> bits;
		}
	}
	/* The last character's two spare bits are zero in a canonical key. */
	if (o != KEY_LEN || (v & ((1u << bits) - 1)))
		return -1;
	return 0;
}

/**
 * key_read() - read a key file
 * @path: the file, or "-" for standard input
 * @key: KEY_LEN bytes, filled on success
 *
 * Return: 0, or -1 after saying why.
 */
int key_read(const char *path, uint8_t *key)
{
	char buf[KEY_B64_LEN + 64];
	size_t n = 0;
	int err = -1;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return error("cannot read the key file %s: %s", path,
			     strerror(errno));
	if (fgets(buf, sizeof(buf), f)) {
		n = strcspn(buf, "\r\n");
		while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
			n--;
	}
	if (ferror(f))
		error("cannot read the key file %s: %s", path, strerror(errno));
	else if (key_decode(buf, n, key))
		error("%s does not hold a key: one line of %d characters of base64 (\"pmesh genkey\" writes one)",
		      strcmp(path, "-") ? path : "standard input", KEY_B64_LEN);
	else
		err = 0;
	explicit_bzero(buf, sizeof(buf));
	if (f != stdin)
		fclose(f);
	return err;
}

void genkey_usage(void)
{
	printf("Usage: pmesh genkey\n"
	       "\n"
	       "Prints a new random mesh key, for \"pmesh mesh add|set ID key FILE\":\n"
	       "  pmesh genkey > mesh.key\n"
	       "Every node of a keyed mesh needs the same key.\n");
}

int genkey_main(int argc, char **argv)
{
	uint8_t key[KEY_LEN];
	char out[KEY_B64_LEN + 1];

	if (argc > 0) {
		if (!strcmp(argv[0], "help")) {
			genkey_usage();
			return 0;
		}
		return error("unknown argument \"%s\"; try \"pmesh genkey help\"",
			     argv[0]);
	}
	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return error("cannot get random bytes: %s", strerror(errno));
	key_encode(key, out);
	puts(out);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(out, sizeof(out));
	return fflush(stdout) ? error("cannot write the key: %s", strerror(errno)) : 0;
}
