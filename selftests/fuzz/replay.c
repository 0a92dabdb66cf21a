// SPDX-License-Identifier: GPL-2.0
/*
 * A main() for a fuzz target without libFuzzer: runs each file named, and
 * each file in each directory named, through LLVMFuzzerTestOneInput() once.
 * Built with gcc, so that a corpus or a crashing input can be replayed
 * where clang's libFuzzer is not installed, under a debugger, or under
 * valgrind.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	struct stat st;
	u8 *buf = NULL;
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	/* Exactly the input's size, as libFuzzer gives it, so that a read
	 * past the end lands outside the allocation.
	 */
	n = st.st_size;
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != n) {
		fprintf(stderr, "replay: %s: short read\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct dirent *d;
	int i, runs = 0, errors = 0;
	struct stat st;
	DIR *dir;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
			errors += replay_file(argv[i]) < 0;
			runs++;
			continue;
		}
		dir = opendir(argv[i]);
		if (!dir) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			errors++;
			continue;
		}
		while ((d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], d->d_name);
			errors += replay_file(path) < 0;
			runs++;
		}
		closedir(dir);
	}
	printf("replay: %d inputs, %d unreadable\n", runs, errors);
	return errors ? 1 : 0;
}
