// The entry point of the per-layer link checks (CMakeLists.txt, bqsim_layer): each check links
// one layer in whole with only its declared dependencies, so this program does nothing.
int main() { return 0; }
