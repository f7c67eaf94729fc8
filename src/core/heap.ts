/**
 * A binary min-heap of numbers (indexes, ranks): O(log n) push and pop, for the schedulers that always take the
 * ready item that comes first in a fixed order.
 */
export class IndexHeap {
  private readonly a: number[] = [];

  get size(): number {
    return this.a.length;
  }

  peek(): number | undefined {
    return this.a[0];
  }

  push(v: number): void {
    const a = this.a;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = a[p];
      if (pv === undefined || pv <= v) break;
      a[i] = pv;
      i = p;
    }
    a[i] = v;
  }

  pop(): number | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let mv = last;
      const lv = a[l];
      if (lv !== undefined && lv < mv) {
        m = l;
        mv = lv;
      }
      const rv = a[r];
      if (rv !== undefined && rv < mv) {
        m = r;
        mv = rv;
      }
      if (m === i) break;
      a[i] = mv;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
