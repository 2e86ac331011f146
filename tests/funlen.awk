# funlen.awk - print "FILE:LINE NAME: N lines" for each function longer than
# max lines (-v max=N).  A function is written as the house writes them: its
# name and parameters start at column 0, its body opens with "{" alone at
# column 0 and closes with "}" at column 0; the length counts from the line of
# its name to the closing brace.
FNR == 1 { inbody = 0; cand = ""; candline = 0 }
!inbody && /^[A-Za-z_][A-Za-z0-9_ \t*]*\(/ { cand = $0; candline = FNR }
!inbody && /^\{/ && candline {
    inbody = 1; start = candline
    name = cand; sub(/\(.*/, "", name); n = split(name, w, /[ \t*]+/); name = w[n]
}
inbody && /^\}/ {
    inbody = 0; len = FNR - start + 1
    if (len > max) printf "%s:%d %s: %d lines\n", FILENAME, start, name, len
}
