"""Korean collectivités of the evaluation set, written from each one's own public self-description
(official site given as source), in Korean. Same conventions as profiles_fr.py."""

KR = {
    "11": (
        "https://www.seoul.go.kr",
        "smart3o mob3o urb3b climate_energy2b cult2b tour2b demo2o",
        "digital_ict finance culture_media research",
        "friendship_pact project study_mission",
        "인구 930만 명의 수도 서울은 대중교통 통합 환승, 공공자전거, 스마트 도시 데이터 플랫폼과 전자정부로 "
        "알려진 도시다. 청계천 복원과 한강 공원 정비, 도시재생을 추진했고 탄소중립과 기후위기 대응 정책을 "
        "펼치고 있다. 궁궐과 한옥 등 역사문화유산과 K-컬처로 세계 관광객을 맞이하며, 도시 행정 경험을 나누고 "
        "싶다.",
    ),
    "11470": (
        "https://www.yangcheon.go.kr",
        "youth3b cult2b tour1b env2b eco1b",
        "culture_media",
        "twinning youth_exchange project",
        "서울 서남부에 자리한 인구 41만 명의 양천구는 목동 신시가지를 중심으로 한 교육 도시로, 학원가와 "
        "우수한 학교가 밀집해 있다. 안양천과 공원 녹지를 가꾸고 문화재단을 통해 축제와 공연을 운영하며, "
        "방송사 등 미디어 기업이 모여 있다. 청소년과 주민의 문화·교육 교류를 희망한다.",
    ),
    "11650": (
        "https://www.seocho.go.kr",
        "smart2o cult3b youth2b eco2b",
        "culture_media research_education finance",
        "friendship_pact youth_exchange study_mission",
        "서울 남부의 인구 39만 명 서초구는 예술의전당과 국립중앙도서관, 법조타운과 대기업 본사가 자리한 "
        "문화·업무 도시다. 스마트 민원 행정과 음악 축제로 알려져 있으며, 대학생 교환 프로그램과 청소년 "
        "홈스테이, 중소기업 해외 시장 개척을 추진한다.",
    ),
    "41110": (
        "https://www.suwon.go.kr",
        "cult3b tour3b env2b water2o smart2o youth2b",
        "digital_ict microelectronics_ai tourism",
        "twinning youth_exchange project",
        "인구 122만 명의 특례시 수원은 유네스코 세계유산 수원 화성을 품은 역사 도시이자 대표적인 전자·반도체 "
        "기업의 본사가 있는 첨단 산업 도시다. 빗물 재이용 등 물순환 정책과 생태 교통, 도시안전통합센터를 "
        "운영하며, 청년 교류와 문화 관광 협력을 희망한다.",
    ),
    "12170": (
        "https://www.naju.go.kr",
        "agri3b youth2b cult2b climate_energy2b sport1b",
        "agriculture energy_renewables agrifood",
        "friendship_pact youth_exchange project",
        "인구 12만 명의 나주시는 영산강 유역의 비옥한 평야에서 배와 쌀을 생산하는 농업 도시이자, 한국전력 등 "
        "에너지 공공기관이 이전한 혁신도시다. 유네스코 학습도시로서 청소년과 평생교육, 문화 관광 축제, "
        "기후위기 대응에 힘쓰고 있다.",
    ),
    "47": (
        "https://www.gb.go.kr",
        "eco3b cult2b tour2b agri2b hedu1b",
        "manufacturing microelectronics_ai agrifood energy_renewables",
        "twinning economic_mission project",
        "인구 257만 명의 경상북도는 철강과 전자, 이차전지 산업 단지와 원자력 발전 시설을 갖춘 산업 지역이며, "
        "신라와 유교 문화의 세계유산을 품고 있다. 사과 등 농업과 관광, 첨단 산업 투자 유치와 과학기술 협력을 "
        "추진한다.",
    ),
    "11530": (
        "https://www.guro.go.kr",
        "smart3b youth3b cult2b eco2o soc2b crea1b",
        "digital_ict microelectronics_ai manufacturing",
        "twinning youth_exchange project",
        "서울 서남부의 인구 41만 명 구로구는 옛 구로공단이 G밸리 디지털단지로 바뀐 정보기술 산업 중심지다. "
        "다문화 주민이 많고 청소년 해외 교류와 평생교육, 스마트 행정과 복지 정책을 추진하며, 공단 역사와 "
        "문화 자원을 살리고 있다.",
    ),
    "41500": (
        "https://www.icheon.go.kr",
        "crea3b cult3b agri2b tour2b youth1b",
        "manufacturing microelectronics_ai agrifood",
        "twinning youth_exchange economic_mission",
        "인구 23만 명의 이천시는 유네스코 공예·민속예술 창의도시로, 도예촌 수백 곳의 공방과 도자기 축제로 "
        "유명하다. 임금님표 이천쌀과 온천, 세계적 반도체 기업 공장이 함께하는 도농 복합 도시로, 예술가와 "
        "학생 교류를 희망한다.",
    ),
    "51800": (
        "https://www.yanggu.go.kr",
        "youth2b sport2b env2b hist2b tour1b",
        "agriculture tourism",
        "twinning youth_exchange",
        "강원 북부 인구 2만 명의 양구군은 국토의 정중앙에 자리한 청정 산간 지역으로, 박수근 미술관과 두타연 "
        "생태 관광지, 스포츠 전지훈련 도시로 알려져 있다. 청소년과 체육, 평화와 생태 관광 교류를 희망한다.",
    ),
    "51720": (
        "https://www.hongcheon.go.kr",
        "tour2b agri2b env2b cult1b",
        "agriculture tourism",
        "twinning",
        "강원 서부 인구 6만 명의 홍천군은 전국에서 가장 넓은 군으로, 홍천강과 산림 자원을 바탕으로 한 휴양 "
        "관광과 인삼·한우·찰옥수수 농업이 발달했다. 친환경 에너지 타운과 축제를 운영한다.",
    ),
    "12150": (
        "https://www.suncheon.go.kr",
        "env3o tour3b urb2b crea2b climate_energy2b",
        "tourism culture_media",
        "friendship_pact project study_mission",
        "인구 27만 명의 순천시는 람사르 습지인 순천만 갯벌과 국가정원으로 알려진 생태 도시다. 도시 전체를 "
        "정원으로 가꾸는 정책과 애니메이션·웹툰 산업 육성, 생태 관광을 추진한다.",
    ),
    "41830": (
        "https://www.yp21.go.kr",
        "hist3b env2b agri2b youth2b health1b",
        "agriculture tourism",
        "friendship_pact youth_exchange",
        "남한강과 북한강이 만나는 인구 12만 명의 양평군은 친환경 농업 특구이자 수도권의 휴양지다. 지역의 "
        "근현대사를 기억하는 역사 교육과 평화 사업을 추진하며, 학생 교류를 희망한다.",
    ),
    "26": (
        "https://www.busan.go.kr",
        "crea3b tour3b eco3b fisheries_maritime2b",
        "logistics_ports fisheries_maritime culture_media tourism",
        "project economic_mission",
        "인구 320만 명의 제2도시 부산은 세계적인 컨테이너 항만과 조선·해양 산업의 중심이다. 아시아 최대 "
        "영화제와 유네스코 영화 창의도시로서 영상 산업을 키우고, 해변과 미식으로 관광객을 맞는다.",
    ),
    "47130": (
        "https://www.gyeongju.go.kr",
        "cult3o tour3b hist2b hedu1b",
        "tourism culture_media",
        "twinning youth_exchange project",
        "천년 신라의 수도 경주시는 인구 26만 명으로, 불국사와 석굴암, 역사유적지구 등 세계유산이 도시 전체에 "
        "펼쳐져 있다. 국제회의와 문화재 보존, 역사 관광 교류를 추진한다.",
    ),
    "41480": (
        "https://www.paju.go.kr",
        "cult2b crea2b eco2b hist1b",
        "culture_media microelectronics_ai",
        "twinning",
        "인구 52만 명의 파주시는 출판도시와 헤이리 예술마을, 디스플레이 산업단지를 품은 접경 도시다. "
        "임진각과 비무장지대 평화 관광을 운영한다.",
    ),
    "41190": (
        "https://www.bucheon.go.kr",
        "crea3b cult2b youth2b",
        "culture_media digital_ict",
        "friendship_pact project",
        "인구 79만 명의 부천시는 유네스코 문학 창의도시로, 만화영상진흥원과 웹툰·애니메이션 기업, 국제 "
        "판타스틱 영화제와 만화 축제를 갖춘 문화 콘텐츠 도시다.",
    ),
    "48170": (
        "https://www.jinju.go.kr",
        "cult3b tour2b crea2b eco2b",
        "aerospace textiles_fashion",
        "friendship_pact project",
        "인구 34만 명의 진주시는 남강 유등축제와 진주성, 실크 산업으로 알려진 유네스코 공예 창의도시다. "
        "항공우주 산업과 기업가정신 교육을 키우며 미술관을 운영한다.",
    ),
    "27": (
        "https://www.daegu.go.kr",
        "eco3b smart2b water2o health2b",
        "textiles_fashion robotics health_biotech",
        "friendship_pact economic_mission project",
        "인구 236만 명의 대구광역시는 섬유 산업 도시에서 로봇·의료·물산업·미래차 도시로 전환하고 있다. "
        "국가물산업클러스터와 의료 클러스터, 스마트시티 실증단지를 운영한다.",
    ),
    "28": (
        "https://www.incheon.go.kr",
        "eco3b hist2b tour2b smart2b",
        "logistics_ports aerospace health_biotech",
        "project economic_mission",
        "인구 310만 명의 인천광역시는 국제공항과 항만, 경제자유구역을 갖춘 관문 도시다. 개항장 역사와 강화도 "
        "문화유산, 바이오 산업과 물류를 바탕으로 국제 교류와 관광을 추진한다.",
    ),
    "41": (
        "https://www.gg.go.kr",
        "eco3b mob2b hedu2b climate_energy2b",
        "microelectronics_ai digital_ict health_biotech",
        "friendship_pact economic_mission project",
        "인구 1,390만 명의 경기도는 대한민국 최대 광역 지방정부로, 반도체와 정보통신, 바이오 산업이 집중된 "
        "경제 중심지다. 기후 대응과 교통, 일자리 정책을 추진한다.",
    ),
    "30": (
        "https://www.daejeon.go.kr",
        "hedu3o smart2b eco2b",
        "research_education aerospace microelectronics_ai",
        "friendship_pact project",
        "인구 147만 명의 대전광역시는 대덕연구개발특구에 정부출연연구기관과 과학기술원이 모인 과학 도시다. "
        "우주항공과 바이오, 나노 반도체 산업을 키우고 있다.",
    ),
    "11305": (
        "https://www.gangbuk.go.kr",
        "sse3b soc2b env2b hist2b",
        "tourism",
        "project study_mission",
        "인구 28만 명의 강북구는 북한산을 품은 녹색 도시로, 4·19 민주묘지 등 역사 유산이 있다. 사회적 경제 "
        "조직과 마을 공동체, 복지 정책에 힘쓰고 있다.",
    ),
    "12780": (
        "https://www.gangjin.go.kr",
        "crea3b cult2b agri2b tour2b",
        "culture_media agriculture",
        "project",
        "인구 3만 명의 강진군은 고려청자의 본고장으로 청자 가마터와 박물관, 청자 축제를 운영하며, 다산 "
        "정약용의 유배지와 남도 음식으로 알려져 있다.",
    ),
    "31": (
        "https://www.ulsan.go.kr",
        "eco3b env2b climate_energy2b hedu1b tour1b",
        "automotive chemicals_materials hydrogen",
        "economic_mission project",
        "인구 110만 명의 울산광역시는 자동차·조선·석유화학 산업 도시이자 수소 경제를 선도한다. 태화강 "
        "국가정원으로 생태 복원을 이루었다. 조선과 자동차 기업과 함께 산업 인력을 양성하고, 대나무 숲과 고래 "
        "문화 관광을 키우며 탄소중립 산업 전환을 추진한다.",
    ),
    "12": (
        "https://www.jeonnam.go.kr",
        "agri3b climate_energy3b cult2b eco2b tour2b",
        "energy_renewables agrifood",
        "project economic_mission",
        "인구 321만 명의 전남광주통합특별시는 광역 도시와 섬, 농어촌이 통합된 지방정부로, 인공지능 산업과 "
        "해상풍력·태양광 재생에너지, 농수산업과 민주·인권 역사 자산을 갖고 있다. 섬과 갯벌, 남도 음식과 "
        "민주·인권 도시의 역사 자산으로 관광을 키우고, 청정에너지 산업 단지와 인공지능 데이터센터를 유치하고 "
        "있다.",
    ),
    "36": (
        "https://www.sejong.go.kr",
        "urb3o demo3b smart2b mob2b env2b",
        "digital_ict research_education",
        "project study_mission",
        "인구 39만 명의 세종특별자치시는 행정중심복합도시로, 균형발전과 지방분권의 상징이다. 스마트시티 국가 "
        "시범도시와 시민 주권 자치를 추진한다. 중앙행정기관과 국책연구기관이 모인 계획도시로 대중교통 중심 "
        "도시와 호수공원, 국립세종수목원을 갖추고 있으며 행정 혁신 경험을 나누고자 한다.",
    ),
    "43": (
        "https://www.chungbuk.go.kr",
        "eco3b health2b agri2b tour2b hedu1b",
        "microelectronics_ai health_biotech",
        "economic_mission",
        "인구 166만 명의 충청북도는 반도체, 이차전지, 바이오 산업 단지를 갖춘 내륙 지역으로, 오송 "
        "생명과학단지와 청남대 관광지를 운영한다. 국토의 중심에 있는 유일한 내륙 도로, 호수와 산악 관광, "
        "바이오 인재 양성과 첨단 산업 투자 유치를 추진한다.",
    ),
    "44": (
        "https://www.chungnam.go.kr",
        "climate_energy3b eco2b agri2b agri2b tour1b",
        "chemicals_materials automotive energy_renewables",
        "project economic_mission",
        "인구 225만 명의 충청남도는 석유화학과 디스플레이, 자동차 산업이 발달했고 석탄발전 폐지와 탄소중립 "
        "정의로운 전환을 추진한다. 서해안 갯벌과 백제 문화유산을 보전하고 농어촌 활력과 수소 산업 육성을 "
        "추진한다.",
    ),
    "48": (
        "https://www.gyeongnam.go.kr",
        "eco3b hedu2b tour2b fisheries_maritime2b",
        "aerospace fisheries_maritime manufacturing",
        "economic_mission",
        "인구 325만 명의 경상남도는 조선과 기계, 우주항공·방위 산업의 중심이며 남해안 관광과 수산업이 "
        "발달했다. 남해안 섬과 가야 고분군 관광을 키우고 조선·항공우주 인재 양성과 기업 유치를 추진한다.",
    ),
    "50": (
        "https://www.jeju.go.kr",
        "tour3b env3b climate_energy3o water2b cult1b agri2b",
        "tourism energy_renewables agrifood",
        "project",
        "인구 67만 명의 제주특별자치도는 유네스코 세계자연유산 화산섬으로, 관광과 감귤 농업, 풍력 에너지와 "
        "탄소 없는 섬 정책을 추진한다. 해녀 문화와 올레길, 청정 농수산물로 알려져 있으며 전기차와 그린수소 "
        "보급을 선도한다.",
    ),
    "51": (
        "https://state.gwd.go.kr",
        "tour3b env2b sport2b agri1b climate_energy2b",
        "tourism health_biotech",
        "project",
        "인구 152만 명의 강원특별자치도는 산과 바다, 동계 스포츠 시설을 갖춘 관광 지역으로, 바이오·의료기기 "
        "산업과 산림 보전을 추진한다. 평창 올림픽 유산과 설악산, 동해안 해변을 활용한 사계절 관광과 "
        "수소·바이오 산업을 육성하는 특별자치도다.",
    ),
    "52": (
        "https://www.jeonbuk.go.kr",
        "agri3b cult2b hedu1b tour2b eco2b",
        "agrifood chemicals_materials",
        "project",
        "인구 175만 명의 전북특별자치도는 국가식품클러스터와 농생명 산업, 탄소 소재 산업과 전통문화를 "
        "기반으로 한다. 한옥과 판소리 등 전통문화, 새만금 개발과 이차전지·수소 산업 유치를 추진하는 "
        "특별자치도다.",
    ),
    "52110": (
        "https://www.jeonju.go.kr",
        "cult3b tour3b agri2b crea2b youth1b",
        "culture_media agrifood chemicals_materials",
        "project",
        "인구 64만 명의 전주시는 한옥마을과 비빔밥 등 음식, 한지 공예로 유명한 유네스코 음식 창의도시이며 "
        "국제영화제와 탄소 산업을 키운다. 한지와 전통 공예, 국제영화제와 독서 문화 정책을 바탕으로 문화 관광 "
        "도시를 키우고 있다.",
    ),
    "43110": (
        "https://www.cheongju.go.kr",
        "cult3b eco2b crea2b hedu2b youth1b",
        "microelectronics_ai health_biotech",
        "project",
        "인구 88만 명의 청주시는 현존 최고 금속활자본과 공예비엔날레로 알려진 기록문화 도시이자 "
        "반도체·바이오 산업 도시다. 직지와 고인쇄 박물관, 공예비엔날레를 운영하며 이차전지와 바이오 기업, "
        "대학과 함께 인재를 키운다.",
    ),
    "48120": (
        "https://www.changwon.go.kr",
        "eco3b mob2b smart2b hedu1b",
        "manufacturing robotics",
        "economic_mission",
        "인구 99만 명의 창원시는 국가 기계산업 단지와 방위 산업, 공공자전거로 알려진 특례시다. "
        "국가산업단지의 원전·방산 기계 산업과 진해 군항제로 알려져 있으며 수소 도시와 스마트 산단을 추진한다.",
    ),
    "47110": (
        "https://www.pohang.go.kr",
        "eco3b hedu2b tour2b env1b",
        "manufacturing chemicals_materials research_education",
        "economic_mission",
        "인구 49만 명의 포항시는 철강 산업과 이차전지 소재, 방사광가속기 연구 시설을 갖춘 해양 도시다. "
        "영일만 해변과 스페이스워크 등 해양 관광, 연구중심대학과 가속기 연구 시설, 이차전지 소재 기업을 "
        "갖추고 있다.",
    ),
    "47170": (
        "https://www.andong.go.kr",
        "cult3b tour2b hist2b agri1b youth1b",
        "tourism agrifood",
        "twinning",
        "인구 15만 명의 안동시는 하회마을과 서원 등 유교 문화 세계유산과 국제탈춤페스티벌로 알려진 한국 "
        "정신문화의 수도다. 유네스코 세계유산 하회마을과 병산서원, 국학진흥원을 갖추고 전통 음식과 탈춤 "
        "축제로 세계 관광객을 맞는다.",
    ),
    "51150": (
        "https://www.gn.go.kr",
        "tour3b cult2b sport2b hist1b agri1b",
        "tourism agrifood",
        "twinning",
        "인구 21만 명의 강릉시는 동해 바다와 경포호, 커피 거리와 단오제, 빙상 경기장을 갖춘 관광 도시다. "
        "천년 단오제와 커피 축제, 동계 빙상 경기장과 해변 관광으로 알려진 문화 관광 도시다.",
    ),
    "51110": (
        "https://www.chuncheon.go.kr",
        "cult2b tour2b hedu1b env2b sport1b",
        "culture_media digital_ict",
        "twinning",
        "인구 29만 명의 춘천시는 호수와 마임·인형극 축제, 애니메이션 박물관과 데이터 산업으로 알려진 도시다. "
        "의암호와 소양강, 마임 축제와 애니메이션 박물관으로 알려진 호반 도시로, 데이터 산업과 바이오 기업을 "
        "유치하고 있다.",
    ),
    "12130": (
        "https://www.yeosu.go.kr",
        "tour3b fisheries_maritime2b eco2b cult1b",
        "tourism chemicals_materials fisheries_maritime",
        "twinning",
        "인구 26만 명의 여수시는 밤바다와 섬 관광, 세계박람회장과 국가산업단지의 석유화학 산업을 갖춘 해양 "
        "도시다. 세계박람회장과 해상케이블카, 돌산 갓김치와 섬 관광으로 알려져 있으며 석유화학 산업의 "
        "탄소중립 전환을 추진한다.",
    ),
    "12110": (
        "https://www.mokpo.go.kr",
        "tour2b cult2b fisheries_maritime2b hist2b eco1b",
        "fisheries_maritime tourism",
        "twinning",
        "인구 21만 명의 목포시는 개항 역사 거리와 해상 케이블카, 수산물과 섬 관광으로 알려진 항구 도시다. "
        "근대 역사 문화 거리와 유달산, 해상케이블카, 홍어와 낙지 등 수산물로 알려진 서남해 관문 항구다.",
    ),
    "48220": (
        "https://www.tongyeong.go.kr",
        "cult3b tour2b fisheries_maritime2b env1b eco1b",
        "fisheries_maritime tourism",
        "twinning",
        "인구 12만 명의 통영시는 유네스코 음악 창의도시로, 국제음악제와 굴 양식, 한려수도 섬 관광으로 "
        "유명하다. 한려해상 국립공원의 섬과 바다, 굴 양식과 나전칠기 공예, 국제음악제를 갖춘 예향이다.",
    ),
    "48310": (
        "https://www.geoje.go.kr",
        "eco3b tour2b env1b cult1b",
        "fisheries_maritime manufacturing",
        "twinning",
        "인구 24만 명의 거제시는 세계적 조선소 두 곳을 품은 섬 도시이며 해안 관광이 발달했다. 조선 산업과 "
        "함께 해금강과 섬 관광, 포로수용소 유적공원을 갖추고 있다.",
    ),
    "44180": (
        "https://www.brcn.go.kr",
        "tour3b env2b eco1b cult1b",
        "tourism",
        "twinning",
        "인구 9만 명의 보령시는 머드축제와 대천 해수욕장, 섬 관광으로 알려진 서해안 도시다. 머드축제와 "
        "대천해수욕장, 섬 관광과 석탄화력 전환 이후의 지역 경제를 고민하는 해안 도시다.",
    ),
    "44150": (
        "https://www.gongju.go.kr",
        "cult3b tour2b hist2b youth1b eco1b",
        "tourism",
        "twinning",
        "인구 10만 명의 공주시는 백제 왕도로서 공산성과 왕릉 세계유산, 백제문화제를 이어가는 역사 도시다. "
        "백제 왕도의 공산성과 송산리 고분군 세계유산, 백제문화제와 국립대학을 갖춘 교육 도시다.",
    ),
    "44760": (
        "https://www.buyeo.go.kr",
        "cult3b tour2b agri2b hist2b env1b",
        "tourism agriculture",
        "twinning",
        "인구 6만 명의 부여군은 백제 마지막 왕도로 세계유산 유적과 궁남지 연꽃 축제, 농업으로 알려져 있다. "
        "정림사지와 부소산성 등 백제 세계유산, 궁남지 연꽃 축제와 농업이 어우러진 역사 문화 도시다.",
    ),
    "12710": (
        "https://www.damyang.go.kr",
        "env3b tour2b agri2b cult2b climate_energy1b",
        "tourism agriculture",
        "twinning",
        "인구 4만 명의 담양군은 대나무 숲 죽녹원과 메타세쿼이아 길, 정자 문화와 슬로시티로 알려져 있다. "
        "대나무 숲 죽녹원과 메타세쿼이아길, 가사 문학과 정자 문화, 슬로시티 마을로 알려진 생태 관광지다.",
    ),
    "12750": (
        "https://www.boseong.go.kr",
        "agri3b tour2b env2b cult1b",
        "agrifood tourism",
        "twinning",
        "인구 4만 명의 보성군은 국내 최대 녹차 산지로 차밭 경관과 다향대축제, 꼬막 등 수산물로 유명하다. "
        "녹차 밭 경관과 다향대축제, 벌교 꼬막과 갯벌, 서편제 소리 문화로 알려진 농어촌 지역이다.",
    ),
    "48850": (
        "https://www.hadong.go.kr",
        "agri3b tour2b cult2b env2b eco1b",
        "agrifood tourism",
        "twinning",
        "인구 4만 명의 하동군은 천년 차 재배 전통을 지닌 세계중요농업유산 지역이며 섬진강과 지리산 관광지다. "
        "야생차 문화와 섬진강, 지리산 자락의 평사리 문학 마을로 알려져 있으며 차 산업과 관광을 키운다.",
    ),
    "51760": (
        "https://www.pc.go.kr",
        "sport3b tour3b env2b agri1b eco1b",
        "tourism agriculture",
        "twinning",
        "인구 4만 명의 평창군은 동계 올림픽을 개최한 고원 지역으로, 스키 리조트와 송어·메밀 축제, 고랭지 "
        "농업이 발달했다. 동계 올림픽 유산을 활용한 스포츠 관광과 메밀꽃 문학 축제, 고랭지 농업과 송어 "
        "축제로 알려진 고원 지역이다.",
    ),
    "51210": (
        "https://www.sokcho.go.kr",
        "tour3b fisheries_maritime2b env2b cult1b",
        "tourism fisheries_maritime",
        "twinning",
        "인구 8만 명의 속초시는 설악산과 동해 바다, 항구 수산시장으로 관광객이 찾는 도시다. 설악산 "
        "국립공원과 동해 바다, 실향민 마을과 항구 시장으로 관광객을 맞는 해양 관광 도시다.",
    ),
    "11680": (
        "https://www.gangnam.go.kr",
        "smart3o eco3b cult2b tour2b youth1b",
        "finance_services digital_ict health_biotech",
        "project",
        "인구 52만 명의 강남구는 금융과 정보기술 기업, 의료 관광과 전시 컨벤션 시설이 모인 경제 중심지다. "
        "코엑스 전시 컨벤션과 의료 관광, 스타트업 지원과 스마트 민원 행정으로 알려진 경제 중심 자치구다.",
    ),
    "11110": (
        "https://www.jongno.go.kr",
        "cult3b tour3b hist2b youth1b crea1b",
        "tourism culture_media",
        "project",
        "인구 14만 명의 종로구는 궁궐과 종묘, 한옥마을과 인사동이 있는 서울 역사문화의 중심이다. 경복궁과 "
        "창덕궁, 종묘 세계유산과 북촌 한옥마을, 인사동 공예 거리를 품은 역사 문화 중심 자치구다.",
    ),
    "11440": (
        "https://www.mapo.go.kr",
        "crea3b cult2b youth2b eco2b tour1b",
        "culture_media digital_ict",
        "project",
        "인구 35만 명의 마포구는 홍대 인디 음악과 예술, 상암 디지털미디어시티 방송 산업이 모인 문화 창작 "
        "지역이다. 홍대 거리의 인디 음악과 예술, 상암 디지털미디어시티의 방송·콘텐츠 기업, 한강 공원을 갖춘 "
        "문화 창작 지역이다.",
    ),
    "11710": (
        "https://www.songpa.go.kr",
        "sport3b cult2b tour2b hist2b env1b",
        "tourism",
        "project",
        "인구 62만 명의 송파구는 올림픽공원과 석촌호수, 백제 한성 유적과 대형 테마파크가 있는 서울 최대 "
        "자치구다. 올림픽공원과 석촌호수, 백제 한성 유적과 대형 테마파크, 전시 시설을 갖춘 서울 최대 "
        "자치구다.",
    ),
    "26350": (
        "https://www.haeundae.go.kr",
        "tour3b crea2b env1b eco2b",
        "tourism culture_media",
        "project",
        "인구 36만 명의 해운대구는 해수욕장과 영화의전당, 컨벤션 센터를 갖춘 부산의 관광·영상 중심지다. "
        "해운대 해수욕장과 영화의전당, 국제 컨벤션 센터와 해양 레저로 알려진 관광·영상 중심 자치구다.",
    ),
    "30200": (
        "https://www.yuseong.go.kr",
        "hedu3b health2b eco2b tour1b",
        "research_education tourism",
        "project",
        "인구 38만 명의 유성구는 연구개발특구와 대학, 온천 관광지를 갖춘 과학 자치구다. 대덕연구개발특구의 "
        "연구기관과 과학기술원, 온천 관광지와 스타트업 지원 시설을 갖춘 과학 자치구다.",
    ),
    "48250": (
        "https://www.gimhae.go.kr",
        "cult2b hist2b eco2b tour2b agri1b",
        "manufacturing logistics_ports",
        "twinning",
        "인구 55만 명의 김해시는 가야 왕국의 유적과 수로왕릉, 기계 부품 산업 단지를 갖춘 도시다. 가야 왕국의 "
        "수로왕릉과 대성동 고분군, 기계 부품 산업 단지와 다문화 주민 정책으로 알려져 있다.",
    ),
    "47190": (
        "https://www.gumi.go.kr",
        "eco3b youth2b hedu1b smart1b",
        "microelectronics_ai manufacturing",
        "economic_mission",
        "인구 41만 명의 구미시는 전자 산업 국가산업단지를 바탕으로 반도체와 방산 산업을 키우는 젊은 도시다. "
        "전자·반도체 국가산업단지와 방위산업, 청년 창업 지원으로 알려진 평균 연령이 젊은 산업 도시다.",
    ),
    "43150": (
        "https://www.jecheon.go.kr",
        "health3b tour2b env1b cult1b",
        "health_biotech tourism",
        "twinning",
        "인구 13만 명의 제천시는 한방 바이오 산업과 청풍호 관광, 국제음악영화제로 알려져 있다. 한방 바이오 "
        "산업단지와 청풍호 관광, 의림지, 국제음악영화제를 운영하는 건강 휴양 도시다.",
    ),
    "52190": (
        "https://www.namwon.go.kr",
        "cult3b tour2b hist1b agri1b",
        "tourism",
        "twinning",
        "인구 7만 명의 남원시는 춘향전과 판소리, 광한루원과 지리산 관광으로 알려진 전통 예술 도시다. "
        "춘향전과 판소리, 광한루원과 지리산 관광, 추어탕 등 향토 음식으로 알려진 전통 예술 도시다.",
    ),
    "52130": (
        "https://www.gunsan.go.kr",
        "hist2b eco2b tour2b cult2b tour1b",
        "manufacturing logistics_ports",
        "twinning",
        "인구 26만 명의 군산시는 근대 문화유산 거리와 새만금, 항만 산업을 갖춘 서해안 도시다. 근대 문화유산 "
        "거리와 새만금 개발, 항만과 자동차·조선 산업의 재도약을 추진하는 서해안 도시다.",
    ),
    "11410": (
        "https://www.sdm.go.kr",
        "hist3b youth3b hedu2b eco2b env2b cult1b",
        "research_education digital_ict culture_media",
        "friendship_pact youth_exchange project",
        "인구 31만 명의 서대문구는 서울 서북부에 자리하며, 서대문형무소역사관과 독립문이 있는 역사 도시다. "
        "연세대·이화여대 등 대학이 모인 신촌의 청년 창업과 골목 상권을 지원하고, 안산 자락길과 홍제천을 "
        "가꾸는 숲·하천 도시를 추진하며 청년 교류를 희망한다.",
    ),
}
