#pragma once
// The `wedge` command line: run, validate, info. Returns the process exit code.
namespace wedge {
int run_cli(int argc, char** argv);
}
