window.OPSBOOK_SEARCH = {"v":1,
"sections":["","Onboarding","Guides","How we work"],
"heads":["Metrics","metrics","Intake","intake","Intake","intake-1","Révision trimestrielle","révision-trimestrielle"],
"pages":[
["guides/index.html","Guides",0,"",[]],
["guides/onboarding/first-week.html","Your first week",1,"",[]],
["guides/onboarding/index.html","Onboarding",2,"",[]],
["index.html","Welcome",0,"The home page",[]],
["metrics/index.html","Metrics",0,"",[0]],
["process/feedback-triage.html","Feedback triage",3,"",[1,2]],
["process/index.html","How we work",0,"",[]],
["process/revision-trimestrielle.html","Révision trimestrielle",3,"",[3]]
],
"terms":"1 250 80 a above anchor and as b caution channel chart class com customer day div e enrich example feedback first flow folder footnote for gets github guides handbook heading home how html https inline intake is it item items its later listing metrics missing more names never north now on onboarding one own page processes quarterly raw review revision same second see share shown slack span star still tag text the this tip to too triage trimestrielle u visit volume we week welcome with within without work your zendesk",
"post":"e e e 8S e e e8 O8 O e e e O e e e O u e e f 9 e 8O e e 8O e 1 O e O n O e O g100 O e e e 8 e 8 Z000 e e e e W e e H 8 8 888 m e8 O e8 x00 e e O8 e O e O W 8 e O8 O040 8 e O O O9 x00 u e e n 9 P e e 8 n 9 e"};
