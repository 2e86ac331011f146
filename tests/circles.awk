# circles.awk - reads edges "a b" (a uses b); prints each circle (a strongly
# connected set of two or more) as "a b c" on one line, sorted.
{ if ($1 != $2 && !(($1, $2) in e)) { e[$1, $2] = 1; out[$1] = out[$1] " " $2 } node[$1] = 1; node[$2] = 1 }
END {
    for (v in node) {          # reach[v, w]: w is reachable from v (BFS)
        n = 0; q[n++] = v; seen[v, v] = 1
        for (i = 0; i < n; i++) {
            k = split(out[q[i]], s, " ")
            for (j = 1; j <= k; j++)
                if (!((v, s[j]) in seen)) { seen[v, s[j]] = 1; q[n++] = s[j] }
        }
    }
    for (v in node) {
        if (v in done) continue
        line = ""; m = 0
        for (w in node)
            if ((v, w) in seen && (w, v) in seen) { c[++m] = w; done[w] = 1 }
        if (m < 2) continue
        for (i = 2; i <= m; i++) { x = c[i]; for (j = i - 1; j >= 1 && c[j] > x; j--) c[j + 1] = c[j]; c[j + 1] = x }
        for (i = 1; i <= m; i++) line = line (i > 1 ? " " : "") c[i]
        print line
    }
}
