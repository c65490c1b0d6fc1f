"""Partnerships of the independent evaluation set and where each one is documented.

One entry per partnership: (pair id, French code and level, Korean code and level, kind, year or None,
status, source URL, what the source says). ``status``: ``agreement`` (twinning, friendship or cooperation
agreement signed), ``mou`` (memorandum on one field), ``intent`` (letter of intent signed),
``exchanges`` (documented exchanges without a signed text found). Pages were read in stored public copies.
"""
CUF_2021 = "https://fr.readkong.com/page/reunion-du-groupe-pays-coree-jeudi-28-janvier-2021-de-3595174"
WIKI_FR = "https://en.wikipedia.org/wiki/List_of_twin_towns_and_sister_cities_in_France"
SEED = ("Cités Unies France, groupe-pays Corée, compte-rendu 2024 (seed minutes of the project; no public "
        "copy found)")

PARTNERSHIPS = [
    ("p01", ("75056", "commune"), ("11", "special_city"), "friendship_pact", 1991, "agreement",
     "https://hankyung.com/article/1991111300171", "Seoul and Paris mayors sign a friendship and cooperation agreement, 12 Nov 1991"),
    ("p02", ("75117", "arrondissement"), ("11470", "gu"), "twinning", 2022, "agreement",
     "https://m.koreaissuejournal.co.kr/news/newsview.php?ncode=1065582235408320", "Yangcheon-gu signs a sister agreement with Paris 17e, 28 Mar 2022; renewed 18 Apr 2023 "
                                                                                   "(geoffroyboulard.fr)"),
    ("p03", ("75115", "arrondissement"), ("11650", "gu"), "friendship_pact", 2016, "agreement",
     "https://www.hankyung.com/society/article/2016070609888", "Seocho-gu and Paris 15e sign an exchange MOU, 5 Jul 2016; called a sister relationship by the "
                                                               "embassy (fr.mofa.go.kr, 2025)"),
    ("p04", ("37261", "commune"), ("41110", "si"), "twinning", 2023, "agreement",
     "https://gitimes.com/60291", "Suwon–Tours sister-city agreement signed at the Tours fair, May 2023 (letter of intent 2019)"),
    ("p05", ("63113", "commune"), ("12170", "si"), "friendship_pact", 2025, "agreement",
     "https://www.clermontinfos63.fr/actualite-21404-clermont-ferrand-et-naju-s-unissent-autour-d-un-accord-d-amitie-et-de-partenariat.html", "Accord d'amitié et de partenariat signed during the Naju mayor's visit, June 2025"),
    ("p06", ("44", "region"), ("47", "province"), "twinning", 1999, "agreement",
     "https://france-coree.pagespro-orange.fr/alsace-coree/convent.htm", "Convention de jumelage Région Alsace – Kyongsangbuk-do, Strasbourg 27 Apr 1999 (Région Alsace "
                                                                         "merged into Grand Est in 2016)"),
    ("p07", ("92040", "commune"), ("11530", "gu"), "twinning", 2005, "agreement",
     "https://www.issy.com/en/twin-cities-and-partnerships", "Issy lists Guro (district of Seoul) among its twin cities; twinning 2005, youth exchanges since "
                                                             "2008 (terradarcobaleno.com 2015); also listed in the English Wikipedia list of twin towns in France"),
    ("p08", ("87085", "commune"), ("41500", "si"), "twinning", 2015, "agreement",
     "http://www.idojung.com/news/articleView.html?idxno=1962", "Icheon and Limoges sign a sister-city agreement, 22 Apr 2015 (MOU 2013); also listed in the English "
                                                                "Wikipedia list of twin towns in France"),
    ("p09", ("94067", "commune"), ("51800", "gun"), "twinning", 2011, "agreement",
     "https://www.gaok.or.kr/gaok/bbs/B0000003/view.do?nttId=1883&menuNo=200022", "GAOK: Yanggu-gun signs a sister relationship with Saint-Mandé, 12 Oct 2011; also listed in the "
                                                                                  "English Wikipedia list of twin towns in France"),
    ("p10", ("83123", "commune"), ("51720", "gun"), "twinning", None, "agreement",
     "http://hongcheonnewstoday.kr/sub_read.html?uid=57647&section=sc21&section2=", "Hongcheon-gun and Sanary are sister cities, 'the first Korea–France twinning of local governments'; "
                                                                                    "exchanges resumed 2019; also listed in the English Wikipedia list of twin towns in France"),
    ("p11", ("44109", "commune"), ("12150", "si"), "friendship_pact", 2006, "agreement",
     "https://kjmbc.co.kr/NewsArticle/1146257", "Suncheon and Nantes sign a friendship exchange agreement for the 120th anniversary of relations "
                                                "(2006); also listed in the English Wikipedia list of twin towns in France"),
    ("p12", ("51559", "commune"), ("41830", "gun"), "friendship_pact", 2024, "agreement",
     "https://news.kbs.co.kr/news/pc/view/view.do?ncd=8070644", "Yangpyeong-gun and Suippes sign an exchange agreement, 30 Sep 2024; friendship agreement 1 Apr 2025 "
                                                                "(joongboo.com)"),
    ("p13", ("06029", "commune"), ("26", "metropolitan_city"), "project", 2023, "mou",
     "https://hankyung.com/amp/202305245572Y", "Busan and Cannes sign an MOU on film training and friendly exchanges, 22 May 2023"),
    ("p14", ("78646", "commune"), ("47130", "si"), "twinning", None, "agreement",
     "https://wowtv.co.kr/NewsCenter/News/Read?articleId=X20150326070101", "Gyeongju lists Versailles among its overseas sister cities (2015); also listed in the English "
                                                                           "Wikipedia list of twin towns in France"),
    ("p15", ("51454", "commune"), ("41480", "si"), "twinning", 2009, "intent",
     "http://ujbnews.net/mobile/article.html?no=4732", "Paju mayor signs a letter of intent for twinning with Reims, Apr 2009"),
    ("p16", ("16015", "commune"), ("41190", "si"), "friendship_pact", 2023, "intent",
     "https://wowtv.co.kr/NewsCenter/News/Read?articleId=AKR20230127076000081", "Bucheon and Angoulême sign a letter of intent for friendly exchanges, 26 Jan 2023 (comics "
                                                                                "cooperation since 1999, 4-party MOU 2020)"),
    ("p17", ("06148", "commune"), ("48170", "si"), "friendship_pact", 2024, "intent",
     "https://cm.asiae.co.kr/article/2025101310225666014", "Jinju signed a letter of intent for friendly-city exchanges with Tourrettes(-sur-Loup) in 2024; "
                                                           "visit Oct 2025"),
    ("p18", ("200093201", "metropole"), ("27", "metropolitan_city"), "friendship_pact", 2019, "agreement",
     "https://m.imaeil.com/page/view/2019110816573953381", "Daegu and Lille (Métropole européenne de Lille and the city) sign a friendly-cooperation agreement, "
                                                           "8 Nov 2019"),
    ("p19", ("28", "region"), ("28", "metropolitan_city"), "project", 2017, "mou",
     "http://www.kyungdosinmoon.com/news/articleViewAmp.html?idxno=56909", "Incheon and Normandie signed an MOU on peace and heritage, Oct 2017"),
    ("p20", ("11", "region"), ("41", "province"), "friendship_pact", 2016, "agreement",
     CUF_2021, "CUF country-group minutes, Jan 2021: « La région a un partenariat depuis 2016 avec la province de "
               "Gyeonggi »"),
    ("p21", ("06088", "commune"), ("30", "metropolitan_city"), "friendship_pact", 2005, "mou",
     CUF_2021, "CUF country-group minutes, Jan 2021: « la ville de Nice a aussi un MoU avec Daejon co-signé en 2005 »"),
    ("p22", ("33063", "commune"), ("11305", "gu"), "project", 2023, "intent",
     "https://donga.com/news/amp/all/20230606/119638682/1", "Gangbuk-gu and Bordeaux sign a letter of intent for a social and solidarity economy partnership, June 2023"),
    ("p23", ("74010", "commune"), ("41190", "si"), "project", 2013, "mou",
     "https://www.kyeonggi.com/article/201306120516096", "Bucheon and Annecy sign a cultural friendship MOU on animation, 11 Jun 2013"),
    ("p24", ("87085", "commune"), ("12780", "gun"), "project", None, "exchanges",
     "https://mpmbc.co.kr/NewsArticle/99132", "Gangjin-gun and Limoges agree on reciprocal ceramics exhibitions and delegations (undated)"),
    ("p25", ("78", "departement"), ("11", "special_city"), "project", None, "exchanges",
     CUF_2021, "CUF country-group minutes, Jan 2021: « Le département a des relations avec la Mairie de Séoul »"),
    ("p26", ("200046977", "metropole"), ("41", "province"), "project", None, "exchanges",
     SEED, "Gyeonggi presented the state of its exchanges with the Métropole de Lyon (CUF minutes 2024)"),
    ("p27", ("84", "region"), ("47", "province"), "project", 2018, "exchanges",
     SEED, "Gyeongbuk presented its recent exchanges with Région Auvergne-Rhône-Alpes (CUF minutes 2024)"),
    ("p28", ("06088", "commune"), ("11", "special_city"), "project", None, "exchanges",
     CUF_2021, "CUF country-group minutes, Jan 2021: Nice and Seoul exchange on smart cities and soft mobility"),
    ("p30", ("76351", "commune"), ("28", "metropolitan_city"), "project", 2018, "exchanges",
     "https://www.tendanceouest.com/actualite-292059-le-havre-une-delegation-havraise-en-voyage-en-asie", "Le Havre's mayor leads a delegation to Incheon in Sept 2018 'to strengthen the relations between Le "
                                                                                                          "Havre and the port city of Incheon' (meeting its mayor and port authority)"),
    ("p29", ("76540", "commune"), ("50", "special_autonomous_province"), "twinning", None, "agreement",
     WIKI_FR, "Rouen lists Jeju City among its twin towns; Jeju City is an administrative city of Jeju Special "
              "Self-Governing Province, whose code is used"),
    ("p31", ("75113", "arrondissement"), ("11410", "gu"), "friendship_pact", 2021, "agreement",
     "https://www.cstimes.com/news/articleView.html?idxno=478414", "Seodaemun-gu and Paris 13e sign an exchange and cooperation MOU (administration, economy, culture, "
                                                                   "education, tourism, sport) in an online ceremony, the texts signed beforehand by post; year 2021 "
                                                                   "inferred from the article (Ambassador Lefort, the 'Squid Game' craze)"),
    ("p32", ("38185", "commune"), ("30", "metropolitan_city"), "project", 2014, "mou",
     "https://wowtv.co.kr/NewsCenter/News/Read?articleId=632014040950300", "Daejeon's mayor and Grenoble's mayor sign a memorandum on science and technology cooperation "
                                                                           "(education, R&D, business, industry) at Grenoble city hall, 8 Apr 2014 (Yonhap; also "
                                                                           "shinailbo.co.kr 378887, localnaeil.com 605390; followed up with the French ambassador in Dec 2014, "
                                                                           "asiae.co.kr)"),
]
