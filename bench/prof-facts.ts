import { dockerfileFacts } from '../src/inputs/dockerfile.js'
import { readFileSync } from 'node:fs'
const text = readFileSync('/tmp/large.Dockerfile', 'utf8')
for (let i = 0; i < 1500; i++) dockerfileFacts(text)
