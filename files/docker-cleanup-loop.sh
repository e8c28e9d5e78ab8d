#!/bin/sh
# Docker cleanup inside the OpenHands pod (sandbox mode dind): the daemon listens only on the
# pod's Unix socket, so a container beside it runs dockerCleanup.schedule (CLEANUP_SCHEDULE)
# itself instead of a CronJob exec'ing in (which would need pods/exec on every pod of the
# namespace). Each minute awk matches the UTC time against the cron schedule (fields, lists,
# ranges, steps, month and day names, @daily and friends; both day fields restricted means
# either may match), and on a match docker-cleanup.sh runs. A bad schedule or a failed
# cleanup is logged and never stops the container: it is part of the app's pod, whose
# readiness it must not take down.
here=$(dirname "$0")
trap 'exit 0' TERM INT
while :; do
  case "$(date -u '+%M %H %d %m %w' | awk '
function num(x) { x = toupper(x); if (x ~ /^[0-9]+$/) return x + 0; if (x in names) return names[x]; bad = 1; return -1 }
function matches(spec, value, lo, hi,   parts, n, i, item, step, r, a, b) {
  n = split(spec, parts, ",")
  for (i = 1; i <= n; i++) {
    item = parts[i]; step = 1
    if (index(item, "/")) { split(item, r, "/"); item = r[1]; step = r[2] + 0; if (r[2] !~ /^[0-9]+$/ || step < 1) { bad = 1; return 0 } }
    if (item == "*" || item == "?") { a = lo; b = hi }
    else if (index(item, "-")) { split(item, r, "-"); a = num(r[1]); b = num(r[2]) }
    else { a = num(item); b = index(parts[i], "/") ? hi : a }
    if (a < lo || b > hi || a > b) { bad = 1; return 0 }
    if (value >= a && value <= b && (value - a) % step == 0) return 1
  }
  return 0
}
BEGIN {
  split("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC", m, " "); for (i = 1; i <= 12; i++) names[m[i]] = i
  split("SUN MON TUE WED THU FRI SAT", d, " "); for (i = 1; i <= 7; i++) names[d[i]] = i - 1
  macro["@yearly"] = "0 0 1 1 *"; macro["@annually"] = "0 0 1 1 *"; macro["@monthly"] = "0 0 1 * *"
  macro["@weekly"] = "0 0 * * 0"; macro["@daily"] = "0 0 * * *"; macro["@midnight"] = "0 0 * * *"; macro["@hourly"] = "0 * * * *"
}
{
  schedule = ENVIRON["CLEANUP_SCHEDULE"]
  if (schedule in macro) schedule = macro[schedule]
  if (split(schedule, f, " ") != 5) { print "bad"; exit }
  minute = matches(f[1], $1 + 0, 0, 59); hour = matches(f[2], $2 + 0, 0, 23)
  dom = matches(f[3], $3 + 0, 1, 31); month = matches(f[4], $4 + 0, 1, 12)
  dow = matches(f[5], $5 + 0, 0, 7) || ($5 + 0 == 0 && matches(f[5], 7, 0, 7))
  if (bad) { print "bad"; exit }
  # As in cron: with both day fields restricted, either one may match.
  day = (f[3] ~ /^[*?]/ || f[5] ~ /^[*?]/) ? dom && dow : dom || dow
  print (minute && hour && month && day) ? "yes" : "no"
}
')" in
    yes) echo "docker cleanup: starting"
      sh "$here/docker-cleanup.sh" && echo "docker cleanup: done" || echo "docker cleanup: failed" >&2 ;;
    bad) echo "docker cleanup: cannot read dockerCleanup.schedule $CLEANUP_SCHEDULE" >&2 ;;
  esac
  second=$(date -u +%S)
  sleep $((60 - ${second#0})) & wait $!
done
