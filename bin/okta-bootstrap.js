#!/usr/bin/env -S node --
import { main } from '../dist/cli/okta-bootstrap.js';

main(process.argv);
