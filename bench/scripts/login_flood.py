"""Floods a running portal with browser-like logins (GET the form, POST a wrong password for a
random well-formed 技能者ID from a random X-Forwarded-For address), for memory measurements.

    CCUS_TRUST_FORWARDED_FOR=true ccus demo ...      # the portal, trusting X-Forwarded-For
    python3 bench/scripts/login_flood.py http://127.0.0.1:8080 SECONDS CLIENTS

Only for a portal on this machine (loopback)."""
import random, re, sys, threading, time, urllib.request, urllib.parse, http.cookiejar
D=[[0,3,1,7,5,9,8,6,4,2],[7,0,9,2,1,5,4,8,6,3],[4,2,0,6,8,7,1,3,5,9],[1,7,5,0,9,8,3,4,2,6],[6,1,2,3,0,4,5,9,7,8],[3,6,7,4,2,0,9,5,8,1],[5,8,6,9,7,2,0,1,3,4],[8,9,4,5,3,6,2,0,1,7],[9,4,3,8,6,1,7,2,0,5],[2,5,8,1,4,3,6,7,9,0]]
def gen():
    d=[1]+[random.randrange(10) for _ in range(12)]
    s=0
    for x in d: s=D[s][x]
    return ''.join(map(str,d))+str(s)
base=sys.argv[1]; secs=float(sys.argv[2]); n=int(sys.argv[3])
assert base.startswith('http://127.') or base.startswith('http://localhost'), 'loopback only'
stop=time.time()+secs; count=[0]
def worker():
    while time.time()<stop:
        cj=http.cookiejar.CookieJar(); op=urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
        ip="10.%d.%d.%d"%(random.randrange(256),random.randrange(256),random.randrange(256))
        try:
            html=op.open(urllib.request.Request(base+"/ccus_skill/login",headers={"X-Forwarded-For":ip}),timeout=10).read().decode()
            tok=re.search(r'name="csrf_token" value="([^"]+)"',html).group(1)
            data=urllib.parse.urlencode({"login_id":gen(),"password":"wrong password","csrf_token":tok}).encode()
            try: op.open(urllib.request.Request(base+"/ccus_skill/login",data=data,headers={"X-Forwarded-For":ip}),timeout=10)
            except urllib.error.HTTPError: pass
            count[0]+=1
        except Exception as e: pass
ts=[threading.Thread(target=worker) for _ in range(n)]
[t.start() for t in ts]; [t.join() for t in ts]
print("attempts", count[0])
