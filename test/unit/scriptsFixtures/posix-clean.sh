#!/bin/sh
# source foo; [[ x ]] ; function f { ; a=(1 2) ; echo {a,b}
set -e
x=abc
echo "[[ x ]] {a,b} \$'x' ${HOME:+set} <<< |& &>"
echo '[[ -f x ]] && source y; a=(1 2) ${x//a/b}'
cat <<EOF
[[ inside ]] {a,b} \$'x' function f { source x
EOF
cat <<'EOF'
${x//a/b} $(<file) [[ ((x++))
EOF
cat <<-EOF
	(( x++ )) ${x#a}
	EOF
f() { local y=1; echo "$y"; }
f
g()
{
  echo g
}
g
bash -c '[[ -f /etc/passwd ]] && echo y' >/dev/null
/bin/bash -c "if [[ 1 == 1 ]]; then :; fi"
echo 'echo helper' > helper.sh
bash helper.sh >/dev/null
bash ./helper.sh "$@" >/dev/null
echo "${x#a}" "${x%c}" "${#x}" "${x:-d}" "${x:+e}" "${x-f}" "${x+g}" "${x:=h}" "${x##*b}" "${x%%b*}"
echo $((1 + 2)) $(( (1+2)*3 )) "$(echo nested "$(echo deep)")" `echo back` $(( x2 = 5 )) $((-1)) $((1 - -1))
case $x in a*) echo a;; *) echo other;; esac
case "$x" in
  (abc|def) echo paren ;;
  *) echo no ;;
esac
for i in 1 2 3; do echo "$i"; done
for i do echo "$i"; done
[ a \< b ] && echo lt
[ -e /etc/passwd ] && [ "$x" = abc ] && echo eq
[ -f /etc/passwd -a -r /etc/passwd ] && echo and
[ "$x" != def -o -n "$x" ] && echo or
test -n "$x" && echo nonempty
echo done 2>&1 >/dev/null
exec 3>&1; echo fd >&3; exec 3>&-
find . -name '*.sh' -exec echo {} \; >/dev/null
awk '{print $1, $2}' </dev/null
echo a,b {} { } x{y} '{a,b}' "{1..3}" \{a,b\}
while read -r line; do echo "$line"; done <<EOF
one
EOF
: "${y:=default}"
echo "$y"
if ! [ -d /nonexistent ]; then echo missing; fi
echo -n ''
printf '%s\n' "%q literal" "-v"
printf '%%q\n'
trap 'echo bye' EXIT INT TERM
trap - HUP
v=$(case $x in abc) echo m;; esac)
echo "$v"
( cd /tmp && echo sub )
{ echo grouped; } >/dev/null 2>&1
( (echo nested) )
((echo nested2) ; echo x) 
echo "$(( $(echo 2) * 3 ))"
echo ${#} ${?} ${!} ${$} ${0} ${10} ${@} ${*} ${-}
read -r a b <<EOF
1 2
EOF
read -p "prompt" c </dev/null || true
export PATH="$PATH:/opt" A=1
local_name=1
kill -0 $$
kill -TERM 999999 2>/dev/null || true
exit 0
