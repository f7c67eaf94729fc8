/**
 * Preloaded into a CLI process by bench/run.mjs (`node --import bench/cpu-usage.mjs ...`): writes the process's
 * own CPU time (user + system, ms) to the file named by OKB_BENCH_CPU_FILE when it exits. CPU time, unlike wall
 * time, barely moves when other processes share the machine's cores.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.OKB_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (user + system) / 1000 }));
  });
}
