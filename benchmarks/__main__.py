"""`python -m benchmarks [--quick] [--only SUITE...]`: see benchmarks/README.md."""
import sys

from benchmarks.run import main

sys.exit(main())
