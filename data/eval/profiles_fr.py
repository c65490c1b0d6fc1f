"""French collectivités of the evaluation set: each one's questionnaire, written from its own public
self-description (official site given as source). Themes: ``code priority stance`` items where stance is
o (offer), s (seek) or b (both). Never names or hints at a partner."""

T = "themes"
FR = {
    "75056": (
        "https://www.paris.fr",
        "urb3b mob3o climate_energy3o cult3o tour2o demo2o env2b smart2b",
        "tourism media finance research",
        "friendship_pact project study_mission",
        "Capitale de 2,1 millions d'habitants, Paris mène un plan climat qui vise la neutralité carbone, a "
        "multiplié les pistes cyclables, piétonnisé les berges de la Seine et végétalise ses rues et ses "
        "cours d'école. Première destination touristique mondiale, riche de musées et de patrimoine, elle "
        "accueille sièges sociaux, universités et start-up. Le budget participatif associe les habitants aux "
        "choix d'investissement. Nous partageons notre expérience d'urbanisme, de mobilité et d'adaptation "
        "aux vagues de chaleur.",
    ),
    "75117": (
        "https://mairie17.paris.fr",
        "urb2o cult2b tour2b youth2b eco1b",
        "tourism media research",
        "twinning youth_exchange project",
        "Arrondissement de l'ouest parisien de près de 160 000 habitants, le 17e mêle quartiers "
        "haussmanniens, village des Batignolles et écoquartier Clichy-Batignolles, bâti sur d'anciennes "
        "emprises ferroviaires autour d'un parc de dix hectares. Il compte une cinquantaine d'écoles, une "
        "école de musique renommée et une école hôtelière. La mairie soutient le commerce de proximité, la "
        "vie culturelle et les marchés, et souhaite partager son expérience de renouvellement urbain durable.",
    ),
    "75115": (
        "https://mairie15.paris.fr",
        "youth3b cult2b eco2b hedu2o sport1b",
        "media research finance",
        "friendship_pact youth_exchange study_mission",
        "Le 15e arrondissement est le plus peuplé de Paris, avec environ 230 000 habitants, en bord de "
        "Seine. Quartier résidentiel et familial, il accueille des universités, des écoles d'ingénieurs, le "
        "parc des expositions de la porte de Versailles et de grands sièges de médias. La mairie soutient la "
        "vie associative, la culture, les échanges d'étudiants et les entreprises innovantes, et cherche des "
        "partenaires pour des bourses et des séjours d'études.",
    ),
    "37261": (
        "https://www.tours.fr",
        "cult3b tour3b env2b youth2b hedu2b agri1b",
        "tourism research agrifood",
        "twinning youth_exchange project",
        "Capitale de la Touraine au cœur du Val de Loire inscrit au patrimoine mondial, Tours compte 140 000 "
        "habitants. Ancienne résidence royale, elle est surnommée le jardin de la France pour ses parcs et "
        "ses bords de Loire. Ville universitaire et de congrès, elle développe le tramway, la transition "
        "écologique et le tourisme à vélo. Nous souhaitons développer les échanges de jeunes, la culture, le "
        "patrimoine et la gastronomie.",
    ),
    "63113": (
        "https://clermont-ferrand.fr",
        "youth3b hedu2b cult2b sport2b agri2b demo1o",
        "automotive research chem agri",
        "friendship_pact youth_exchange project",
        "Capitale de l'Auvergne au pied de la chaîne des Puys, Clermont-Ferrand compte 147 000 habitants. "
        "Ville universitaire et de recherche, siège d'un grand groupe mondial du pneumatique, elle accueille "
        "un festival international du court métrage de référence. Membre du réseau des villes apprenantes de "
        "l'UNESCO, elle mise sur l'éducation, le sport, la culture et une agriculture durable dans son "
        "territoire rural proche.",
    ),
    "44": (
        "https://www.grandest.fr",
        "eco3b hedu2b tour2b cult2b agri1b climate_energy1b",
        "manufacturing automotive health_biotech agrifood",
        "twinning economic_mission project",
        "Région frontalière de la Belgique, du Luxembourg, de l'Allemagne et de la Suisse, le Grand Est "
        "compte 5,6 millions d'habitants. Industrie automobile et chimique, biotechnologies, vignobles de "
        "Champagne et d'Alsace et tourisme patrimonial font son économie. La Région soutient l'innovation, "
        "l'enseignement supérieur, la formation et l'export des entreprises, et accompagne la transition "
        "énergétique de son industrie.",
    ),
    "92040": (
        "https://www.issy.com",
        "smart3o youth3b cult2b tour2b climate_energy2o mob2o demo2o eco1b",
        "digital_ict microelectronics_ai culture_media",
        "twinning youth_exchange study_mission project",
        "Ville de près de 70 000 habitants aux portes de Paris, Issy-les-Moulineaux est passée d'une commune "
        "industrielle à un pôle du numérique, des télécommunications et des médias. Pionnière de la ville "
        "intelligente, elle expérimente réseau électrique de quartier, navette autonome, démarches en ligne "
        "et assistant d'IA pour les habitants. Elle vote un budget climat et mène une politique jeunesse "
        "ouverte sur le monde.",
    ),
    "87085": (
        "https://www.limoges.fr",
        "crea3b cult3b tour2b youth2b eco2b agri1b",
        "manufacturing culture_media agrifood",
        "twinning youth_exchange economic_mission",
        "Capitale mondiale des arts du feu, Limoges compte 130 000 habitants. Sa porcelaine, ses émaux et "
        "son cuir fondent une industrie du luxe et des métiers d'art reconnue, labellisée ville créative de "
        "l'UNESCO. Ville universitaire, elle promeut les savoir-faire, l'innovation dans les céramiques "
        "techniques et les échanges d'artistes et d'élèves.",
    ),
    "94067": (
        "https://www.saintmande.fr",
        "youth2b cult2b sport2b env2b safe1b hist2b",
        "tourism",
        "twinning youth_exchange",
        "Commune résidentielle de 21 000 habitants à la lisière du bois de Vincennes, Saint-Mandé offre un "
        "cadre de vie arboré et une vie associative dense. Elle soutient la jeunesse, le sport, la culture "
        "et le devoir de mémoire, et développe l'aménagement durable de ses espaces publics. Elle souhaite "
        "des échanges scolaires, sportifs et culturels.",
    ),
    "83123": (
        "https://www.sanarysurmer.com",
        "tour3b cult2b env2b fisheries_maritime1b",
        "tourism fisheries_maritime",
        "twinning youth_exchange",
        "Station balnéaire varoise de 18 000 habitants, Sanary-sur-Mer vit du tourisme, de la plaisance et "
        "de ses pointus, barques de pêche traditionnelles du port. Son marché provençal, ses festivals et "
        "son patrimoine littéraire attirent des visiteurs toute l'année. La commune protège son littoral et "
        "son environnement marin.",
    ),
    "44109": (
        "https://metropole.nantes.fr",
        "env3b cult3b urb2o tour2b sse2o climate_energy2b",
        "aerospace culture_media research",
        "friendship_pact project study_mission",
        "Sixième ville de France avec 330 000 habitants, Nantes, sur l'estuaire de la Loire, s'est "
        "réinventée par la culture après la fin des chantiers navals : Machines de l'île, Voyage à Nantes, "
        "festivals. Capitale verte européenne 2013, elle multiplie parcs et jardins et protège ses zones "
        "humides. Elle soutient l'économie sociale et solidaire et les industries aéronautiques.",
    ),
    "51559": (
        "https://www.suippes.fr",
        "hist3b youth2b agri2b tour1b",
        "agriculture",
        "friendship_pact youth_exchange",
        "Petite ville de 4 000 habitants de la Marne, Suippes fut au cœur des combats de la Grande Guerre ; "
        "son centre d'interprétation Marne 14-18 fait vivre cette mémoire. Entourée de grandes cultures, "
        "elle accueille un important camp militaire. La commune souhaite des échanges d'élèves autour de "
        "l'histoire et de la paix.",
    ),
    "06029": (
        "https://www.cannes.com",
        "crea3b tour3b cult2b eco2b",
        "culture_media tourism",
        "project economic_mission",
        "Ville de 74 000 habitants sur la Côte d'Azur, Cannes est mondialement connue pour son festival du "
        "film et son palais des festivals, qui accueille aussi de grands salons professionnels. Ville "
        "créative de l'UNESCO pour le cinéma, elle forme aux métiers de l'image et développe le tourisme "
        "d'affaires et de loisirs.",
    ),
    "78646": (
        "https://www.versailles.fr",
        "cult3o tour3b hist2b youth1b",
        "tourism culture_media",
        "twinning youth_exchange project",
        "Préfecture des Yvelines de 84 000 habitants, Versailles est née du château et du domaine royal "
        "inscrits au patrimoine mondial, qui attirent des millions de visiteurs. La ville conserve un "
        "urbanisme classique, des quartiers historiques et un riche patrimoine, et développe des échanges "
        "culturels, scolaires et de conservation du patrimoine.",
    ),
    "51454": (
        "https://www.reims.fr",
        "cult3b tour3b agri2b eco2b hist2b",
        "agrifood tourism",
        "twinning economic_mission",
        "Cité des sacres de 178 000 habitants, Reims abrite une cathédrale, la basilique Saint-Remi et les "
        "maisons de Champagne inscrites au patrimoine mondial. Ville universitaire, elle développe "
        "l'agro-industrie et la bioéconomie, et promeut le tourisme œnologique et culturel.",
    ),
    "16015": (
        "https://www.angouleme.fr",
        "crea3b cult3b youth2b tour2b",
        "culture_media",
        "friendship_pact project",
        "Ville de 42 000 habitants en Charente, Angoulême est la capitale de la bande dessinée : festival "
        "international, cité internationale de la bande dessinée et de l'image, écoles d'animation et "
        "studios. Ville créative de l'UNESCO pour la littérature, elle fait de l'image et de l'édition son "
        "moteur économique.",
    ),
    "06148": (
        "https://www.tourrettessurloup.com",
        "cult3b tour2b agri2b crea2b",
        "agriculture tourism",
        "friendship_pact project",
        "Village perché de 4 000 habitants des Alpes-Maritimes, Tourrettes-sur-Loup est la cité des "
        "violettes : cultures florales, fête des violettes et ateliers d'artisans d'art dans le vieux "
        "village. Elle accueille artistes et visiteurs et souhaite développer les échanges artistiques.",
    ),
    "200093201": (
        "https://www.lillemetropole.fr",
        "eco3b crea2b mob2o smart2b urb2b",
        "textiles_fashion digital_ict logistics_ports",
        "friendship_pact economic_mission project",
        "Métropole de 95 communes et 1,2 million d'habitants au carrefour de l'Europe du Nord, la Métropole "
        "européenne de Lille a transformé son passé textile en économie du numérique, du commerce et de la "
        "santé. Capitale mondiale du design 2020, elle gère transports, métro automatique, eau et "
        "développement économique, et renouvelle ses friches industrielles.",
    ),
    "28": (
        "https://www.normandie.fr",
        "hist3o tour2b cult2b eco2b fisheries_maritime1b climate_energy1b",
        "logistics_ports energy_renewables agrifood",
        "project economic_mission",
        "Région de 3,3 millions d'habitants, la Normandie relie Paris à la mer par l'axe Seine et ses grands "
        "ports. Terre de l'éolien en mer, de l'agroalimentaire et de l'industrie, elle porte la mémoire du "
        "Débarquement et la promotion de la paix, et le Mont-Saint-Michel attire des millions de visiteurs.",
    ),
    "11": (
        "https://www.iledefrance.fr",
        "mob3b eco3b hedu2b climate_energy2b tour2b smart2b",
        "finance_services aerospace research_education digital_ict",
        "friendship_pact economic_mission project",
        "Première région économique d'Europe avec 12,5 millions d'habitants, l'Île-de-France concentre "
        "sièges sociaux, universités et centres de recherche. La Région organise les transports publics, "
        "finance lycées et formation professionnelle, et soutient l'innovation, l'attractivité touristique "
        "et la transition énergétique.",
    ),
    "06088": (
        "https://www.nice.fr",
        "smart3o mob2o env2b tour3b climate_energy2b safe2o",
        "tourism digital_ict health_biotech",
        "friendship_pact project study_mission",
        "Cinquième ville de France avec 358 000 habitants, Nice est une métropole touristique "
        "méditerranéenne. Ville intelligente, elle a déployé tramway, capteurs urbains et vidéoprotection, "
        "et végétalise la Promenade du Paillon. Elle développe la santé connectée, les congrès et "
        "l'adaptation du littoral au changement climatique.",
    ),
    "33063": (
        "https://www.bordeaux.fr",
        "sse3o cult2b tour2b env2b climate_energy2b",
        "agrifood aerospace tourism",
        "project study_mission",
        "Ville de 268 000 habitants dont le port de la Lune est inscrit au patrimoine mondial, Bordeaux est "
        "capitale mondiale du vin. Elle soutient l'économie sociale et solidaire, la transition écologique, "
        "les tiers-lieux et l'accès de tous à la culture.",
    ),
    "74010": (
        "https://www.annecy.fr",
        "crea3b tour3b env2b sport2b",
        "culture_media tourism",
        "project",
        "Ville de 132 000 habitants au bord d'un lac alpin parmi les plus purs d'Europe, Annecy accueille le "
        "festival international du film d'animation et un pôle d'entreprises de l'image. Elle protège son "
        "lac et ses montagnes et développe le tourisme de plein air.",
    ),
    "78": (
        "https://www.yvelines.fr",
        "soc2b eco2b env2b youth2b",
        "aerospace automotive research_education",
        "project",
        "Département de 1,5 million d'habitants à l'ouest de Paris, les Yvelines mêlent forêts, plaines "
        "agricoles et villes nouvelles. Le Département finance l'action sociale, les collèges et les routes, "
        "et soutient les entreprises de l'automobile et de l'aéronautique.",
    ),
    "200046977": (
        "https://www.grandlyon.com",
        "eco3b mob2o water2o hedu2b smart2b",
        "health_biotech chemicals_materials digital_ict",
        "project economic_mission",
        "Métropole de 59 communes et 1,4 million d'habitants, la Métropole de Lyon exerce les compétences "
        "d'une intercommunalité et d'un département. Pôle de santé, biotechnologies, chimie et numérique, "
        "elle gère transports, eau, voirie et action sociale, et conduit une stratégie de transition "
        "écologique.",
    ),
    "84": (
        "https://www.auvergnerhonealpes.fr",
        "eco3b hedu2b tour2b agri2b",
        "microelectronics_ai manufacturing health_biotech agrifood",
        "project economic_mission",
        "Région de 8,2 millions d'habitants, Auvergne-Rhône-Alpes est la première région industrielle de "
        "France : micro-électronique, santé, chimie, mécanique. Elle soutient l'innovation, l'export, la "
        "formation et le tourisme de montagne.",
    ),
    "67482": (
        "https://www.strasbourg.eu",
        "demo3o cult2b mob3o env2b hedu2b youth2b climate_energy2b",
        "research_education health_biotech",
        "twinning project",
        "Siège du Parlement européen et du Conseil de l'Europe, Strasbourg compte 294 000 habitants. Sa "
        "Grande Île est inscrite au patrimoine mondial. Pionnière du tramway et du vélo, elle compte une "
        "grande université de recherche et promeut la démocratie locale et les droits humains. La ville "
        "finance un plan climat, des cours d'école végétalisées et des échanges d'élèves ; elle souhaite "
        "partager son expérience des mobilités actives et apprendre sur la ville numérique.",
    ),
    "35238": (
        "https://metropole.rennes.fr",
        "demo3o youth2b hedu2b mob2o env2b agri2b cult2b",
        "digital_ict automotive research_education",
        "twinning youth_exchange",
        "Capitale de la Bretagne de 231 000 habitants, Rennes est une ville jeune et étudiante. Métro "
        "automatique, budget participatif et politique de l'alimentation durable marquent son action. Son "
        "bassin d'emploi associe numérique, cybersécurité et industrie automobile. Elle soutient les "
        "musiques actuelles et l'économie sociale, et cherche des partenaires pour des échanges étudiants et "
        "des projets d'alimentation locale.",
    ),
    "29019": (
        "https://www.brest.fr",
        "fisheries_maritime3o hedu3b env2b eco2b tour1b youth2b",
        "fisheries_maritime research_education logistics_ports",
        "twinning project",
        "Ville portuaire de 142 000 habitants à la pointe de la Bretagne, Brest concentre une grande part de "
        "la recherche marine française. Sa fête maritime internationale attire des centaines de navires. "
        "Elle développe les énergies marines renouvelables et la protection de l'océan. Ville universitaire, "
        "elle accueille de nombreux étudiants et chercheurs et souhaite développer des échanges "
        "scientifiques et de jeunes autour de l'océan.",
    ),
    "21231": (
        "https://www.dijon.fr",
        "agri3b tour2b cult2b climate_energy2b smart2o eco2b youth1b",
        "agrifood tourism hydrogen",
        "twinning economic_mission",
        "Ancienne capitale des ducs de Bourgogne de 162 000 habitants, Dijon abrite la Cité internationale "
        "de la gastronomie et du vin. Elle a lancé un projet de métropole connectée avec un poste de "
        "pilotage unique et développe l'hydrogène pour ses bus. Elle mise sur l'agroécologie autour de son "
        "territoire, la formation aux métiers de bouche et les échanges culturels et économiques.",
    ),
    "25056": (
        "https://www.besancon.fr",
        "cult2b hedu2b env2b eco2b tour2b youth1b smart1s",
        "microelectronics_ai health_biotech",
        "twinning",
        "Capitale de la Franche-Comté de 118 000 habitants, Besançon est ceinturée par le Doubs et une "
        "citadelle de Vauban inscrite au patrimoine mondial. Tradition horlogère, microtechniques et santé "
        "font son économie. Ville verte, elle cultive musique et culture. Ville de la précision, elle "
        "accompagne ses entreprises de microtechniques et souhaite des échanges universitaires et culturels, "
        "notamment musicaux.",
    ),
    "200040715": (
        "https://www.grenoblealpesmetropole.fr",
        "climate_energy3o hedu3b env2b mob2b smart2b eco2b water1b",
        "microelectronics_ai energy_renewables research_education",
        "project study_mission",
        "Métropole alpine de 49 communes et 450 000 habitants, Grenoble-Alpes Métropole est un pôle mondial "
        "de la micro-électronique, de la recherche et des énergies. Capitale verte européenne 2022, elle "
        "réduit la place de la voiture et lutte contre la pollution de l'air. La métropole soutient la "
        "recherche publique, les start-up de la transition énergétique et la gestion publique de l'eau, et "
        "cherche des partenaires sur la qualité de l'air.",
    ),
    "76540": (
        "https://rouen.fr",
        "cult3b hist2b tour2b eco2b env1b youth1b",
        "chemicals_materials logistics_ports",
        "twinning",
        "Ville-musée de 118 000 habitants sur la Seine, Rouen est riche d'une cathédrale gothique et de "
        "maisons à pans de bois. Port fluvial céréalier, industries chimiques et services structurent son "
        "économie. Elle rénove ses quais et accueille de grands rassemblements de voiliers. Elle valorise "
        "son patrimoine par de grands spectacles et festivals et soutient les échanges scolaires et "
        "l'enseignement supérieur.",
    ),
    "76351": (
        "https://www.lehavre.fr",
        "eco3b cult2b urb2o climate_energy2b tour2b env1b",
        "logistics_ports energy_renewables chemicals_materials",
        "twinning economic_mission",
        "Premier port de France pour les conteneurs, Le Havre compte 167 000 habitants. Son centre "
        "reconstruit par Auguste Perret est inscrit au patrimoine mondial. Logistique, industrie et éolien "
        "en mer font son économie. La ville développe le tourisme architectural et maritime, la reconquête "
        "de ses bassins portuaires et la formation aux métiers de la mer.",
    ),
    "56121": (
        "https://www.lorient.bzh",
        "fisheries_maritime3b cult2b sport2b tour2b youth1b",
        "fisheries_maritime",
        "twinning",
        "Ville de 58 000 habitants, Lorient possède le premier port de pêche français en valeur et une base "
        "de course au large. Son festival interceltique attire des centaines de milliers de visiteurs chaque "
        "été. Elle soutient la filière nautique, la recherche sur les produits de la mer et les échanges "
        "culturels autour des musiques traditionnelles.",
    ),
    "17300": (
        "https://www.larochelle.fr",
        "climate_energy3o env2b tour2b fisheries_maritime2b hedu2b mob2o",
        "logistics_ports tourism",
        "twinning project",
        "Ville portuaire de 80 000 habitants sur l'Atlantique, La Rochelle vise la neutralité carbone et a "
        "pionné le vélo en libre-service. Son vieux port, son aquarium et ses festivals font vivre le "
        "tourisme ; son université travaille sur le littoral. Elle forme des étudiants aux sciences du "
        "littoral et teste des solutions de mobilité douce et d'adaptation à la montée des eaux.",
    ),
    "66136": (
        "https://www.mairie-perpignan.fr",
        "cult2b tour2b agri2b sport2b eco2b youth1b",
        "agrifood logistics_ports tourism",
        "twinning",
        "Capitale de la Catalogne française de 122 000 habitants, Perpignan est un carrefour entre la France "
        "et l'Espagne. Logistique des fruits et légumes, tourisme, rugby et festival de photojournalisme "
        "font son identité. Ville de culture bilingue, elle développe le commerce avec l'Espagne, les "
        "festivals et le rugby, et souhaite des échanges de jeunes et d'artistes.",
    ),
    "84007": (
        "https://www.avignon.fr",
        "cult3b tour3b crea2b tour2b youth1b",
        "tourism culture_media",
        "twinning project",
        "Cité des papes de 92 000 habitants dont le centre historique est inscrit au patrimoine mondial, "
        "Avignon accueille chaque été le plus grand festival de théâtre au monde. La ville soutient le "
        "spectacle vivant et le tourisme culturel. La ville accueille compagnies et artistes toute l'année "
        "et cherche à développer les échanges de professionnels du spectacle vivant.",
    ),
    "13004": (
        "https://www.arles.fr",
        "cult3b tour2b env2b crea2b hist1b agri2b",
        "culture_media tourism agriculture",
        "twinning",
        "Plus grande commune de France par la superficie, Arles compte 52 000 habitants entre Camargue et "
        "Alpilles. Ses monuments romains, les Rencontres de la photographie et la riziculture font son "
        "identité. Elle protège les zones humides de Camargue, soutient la photographie et l'édition, et "
        "valorise sa riziculture et son élevage.",
    ),
    "68066": (
        "https://www.colmar.fr",
        "tour3b cult2b agri2b eco1b env1b",
        "tourism agrifood",
        "twinning",
        "Ville de 67 000 habitants au cœur du vignoble alsacien, Colmar attire des visiteurs par sa Petite "
        "Venise, ses maisons à colombages, ses marchés de Noël et un musée célèbre. La ville valorise ses "
        "vignobles, son musée et ses savoir-faire artisanaux, et mène une politique de préservation du "
        "centre ancien.",
    ),
    "57463": (
        "https://metz.fr",
        "cult2b tour2b eco2b hedu1b youth1b env2b",
        "logistics_ports research_education",
        "twinning",
        "Ville de 123 000 habitants au confluent de la Moselle et de la Seille, Metz conjugue patrimoine "
        "militaire et impérial et un grand centre d'art contemporain. Elle développe le numérique et la "
        "logistique transfrontalière. Ville verte aux nombreux parcs, elle développe les échanges "
        "universitaires et culturels avec ses voisins européens.",
    ),
    "80021": (
        "https://www.amiens.fr",
        "cult2b env2b youth2b tour2b cult2b",
        "health_biotech research_education",
        "twinning",
        "Ville de 136 000 habitants, Amiens est connue pour sa cathédrale gothique inscrite au patrimoine "
        "mondial et ses hortillonnages, jardins flottants cultivés sur des canaux. Ville étudiante, elle "
        "développe la santé et le numérique. Elle mise sur la recherche en santé et en batteries, et "
        "souhaite des échanges culturels et universitaires.",
    ),
    "64445": (
        "https://www.pau.fr",
        "sport2b eco2b hedu2b climate_energy2b tour1b",
        "energy_renewables aerospace",
        "twinning",
        "Ville de 80 000 habitants face aux Pyrénées, Pau accueille des centres de recherche de l'énergie et "
        "de l'aéronautique. Elle a mis en service un bus à hydrogène et cultive son patrimoine historique et "
        "sportif. La ville développe une agglomération bas carbone, le tourisme pyrénéen et les échanges "
        "universitaires autour de l'énergie.",
    ),
    "35288": (
        "https://www.saint-malo.fr",
        "tour3b fisheries_maritime2b cult2b env2b eco1b",
        "tourism fisheries_maritime",
        "twinning",
        "Cité corsaire de 47 000 habitants, Saint-Malo attire les visiteurs par ses remparts, ses plages à "
        "fortes marées et ses festivals. Son port relie la Bretagne aux îles Anglo-Normandes. La ville "
        "protège son littoral face à l'érosion, soutient la pêche et la course au large et accueille de "
        "nombreux festivals.",
    ),
    "59183": (
        "https://www.ville-dunkerque.fr",
        "mob3o eco2b climate_energy2b env1b hist1b",
        "logistics_ports manufacturing energy_renewables",
        "twinning",
        "Ville portuaire de 86 000 habitants sur la mer du Nord, Dunkerque a rendu son réseau de bus "
        "gratuit. Sidérurgie, énergie et nouvelles usines de batteries font de son territoire un pôle de "
        "décarbonation industrielle. Son territoire mêle dunes, plages et mémoire de 1940 ; il mise sur "
        "l'hydrogène et l'industrie décarbonée et sur l'emploi des jeunes.",
    ),
    "45234": (
        "https://www.orleans-metropole.fr",
        "cult2b hist2b agri2b eco2b youth1b",
        "agrifood health_biotech",
        "twinning",
        "Ville de 116 000 habitants sur la Loire, Orléans célèbre chaque année la mémoire de Jeanne d'Arc. "
        "Cosmétique, pharmacie et logistique structurent son économie. Ville universitaire sur la Loire, "
        "Orléans développe la biotechnologie, la cosmétique et le tourisme fluvial.",
    ),
    "49007": (
        "https://www.angers.fr",
        "env3b agri2b smart2b tour1b youth1b",
        "agriculture research_education",
        "twinning",
        "Ville de 159 000 habitants, Angers est une capitale du végétal et de l'horticulture. Elle a lancé "
        "un grand projet de territoire intelligent et figure parmi les villes les plus vertes de France. "
        "Elle forme aux métiers du végétal, soutient ses entreprises horticoles et partage son expérience de "
        "ville verte et connectée.",
    ),
    "14118": (
        "https://caen.fr",
        "hist3b hedu2b cult2b tour2b youth1b",
        "research_education",
        "twinning",
        "Ville de 109 000 habitants, Caen abrite un mémorial pour la paix consacré à la Seconde Guerre "
        "mondiale et un grand accélérateur de recherche. Ville universitaire, elle cultive son patrimoine "
        "médiéval. La ville développe la recherche en physique et en santé, les échanges étudiants et le "
        "tourisme de mémoire.",
    ),
    "29": (
        "https://www.finistere.fr",
        "soc2b env2b fisheries_maritime2b agri2b tour2b youth1b",
        "fisheries_maritime agrifood",
        "project",
        "Département breton de 930 000 habitants à la pointe ouest de la France, le Finistère vit de la "
        "pêche, de l'agroalimentaire et du tourisme. Il protège un long littoral et finance l'action sociale "
        "et les collèges. Il soutient le tourisme du littoral et des îles, les ports de pêche et les "
        "échanges de collégiens.",
    ),
    "33": (
        "https://www.gironde.fr",
        "soc3b env2b agri2b tour1b youth2b",
        "agrifood aerospace",
        "project",
        "Plus grand département de France métropolitaine, la Gironde compte 1,7 million d'habitants entre "
        "vignobles, forêt des Landes et océan. Il mène une politique sociale et de solidarité territoriale. "
        "Le Département mène une politique forte d'insertion, de protection de l'enfance et de préservation "
        "du littoral et de la forêt.",
    ),
    "34": (
        "https://herault.fr",
        "soc2b agri2b env2b water2b tour2b youth1b",
        "agriculture tourism",
        "project",
        "Département méditerranéen de 1,2 million d'habitants, l'Hérault connaît une forte croissance "
        "démographique. Viticulture, tourisme et gestion de l'eau face aux sécheresses sont au cœur de son "
        "action. Il soutient les collèges, l'insertion et les espaces naturels, et accompagne l'adaptation "
        "au changement climatique.",
    ),
    "53@region": (
        "https://www.bretagne.bzh",
        "fisheries_maritime3b agri2b cult2b climate_energy2b tour2b hedu1b",
        "agrifood fisheries_maritime digital_ict",
        "project economic_mission",
        "Région de 3,4 millions d'habitants, la Bretagne est la première région agroalimentaire et maritime "
        "de France. Elle défend sa langue et sa culture, soutient le numérique et la cybersécurité et "
        "développe les énergies marines. La Région soutient la pêche durable, l'agroalimentaire, la langue "
        "bretonne et les lycées, et accompagne le tourisme littoral.",
    ),
    "76@region": (
        "https://www.laregion.fr",
        "eco3b hedu2b agri2b tour2b climate_energy2b cult1b",
        "aerospace agrifood tourism_hospitality",
        "project economic_mission",
        "Région de 6,1 millions d'habitants entre Pyrénées et Méditerranée, l'Occitanie est la capitale "
        "européenne de l'aéronautique et de l'espace, et une grande région viticole et touristique. Elle "
        "investit dans l'hydrogène, les énergies renouvelables et l'agriculture de qualité, et soutient "
        "l'enseignement supérieur.",
    ),
    "32@region": (
        "https://www.hautsdefrance.fr",
        "eco3b climate_energy2b hedu2b youth2b tour1b",
        "automotive logistics_ports manufacturing",
        "project economic_mission",
        "Région de 6 millions d'habitants au nord de la France, les Hauts-de-France se réindustrialisent "
        "autour de l'automobile électrique, des batteries et de la logistique. La Région soutient la "
        "formation et l'emploi des jeunes. La Région accompagne la transition énergétique de l'industrie et "
        "soutient les lycées, la formation et le tourisme de mémoire.",
    ),
    "243100518": (
        "https://www.toulouse-metropole.fr",
        "eco3b mob2o hedu2b smart2b cult1b",
        "aerospace research_education",
        "project economic_mission",
        "Métropole de 37 communes et 840 000 habitants, Toulouse Métropole est un pôle mondial de "
        "l'aéronautique et du spatial. Elle développe le métro, l'innovation et l'accueil d'étudiants. La "
        "métropole développe l'innovation spatiale et numérique, accueille de nombreux étudiants et "
        "modernise ses transports.",
    ),
    "75107": (
        "https://mairie07.paris.fr",
        "cult3b tour2b hist2b env1b",
        "tourism",
        "project",
        "Arrondissement de 48 000 habitants, le 7e concentre de grands monuments, musées et ministères. La "
        "mairie veille au cadre de vie, au patrimoine et à l'accueil des visiteurs. La mairie accompagne la "
        "vie associative et culturelle, les écoles et l'accueil des visiteurs autour de grands sites "
        "patrimoniaux.",
    ),
    "75116": (
        "https://mairie16.paris.fr",
        "cult2b sport2b env2b youth1b demo1b",
        "tourism",
        "project",
        "Arrondissement de 159 000 habitants, le 16e accueille de grands stades, musées et ambassades et "
        "borde le bois de Boulogne. La mairie soutient la vie associative, le sport et les espaces verts. "
        "Elle soutient les clubs sportifs, les écoles et la vie culturelle d'un arrondissement résidentiel "
        "et diplomatique.",
    ),
    "16102": (
        "https://www.ville-cognac.fr",
        "agri3b tour2b eco2b cult1b",
        "agrifood tourism",
        "twinning",
        "Ville de 18 500 habitants sur la Charente, Cognac a donné son nom à une eau-de-vie exportée dans le "
        "monde entier. Maisons de négoce, tourisme et festivals font son économie. Elle soutient les métiers "
        "de la distillation, de la tonnellerie et du négoce, et développe l'œnotourisme et les festivals.",
    ),
    "21054": (
        "https://www.beaune.fr",
        "agri3b tour2b cult2b cult2b eco1b",
        "agrifood tourism",
        "twinning",
        "Capitale des vins de Bourgogne de 20 000 habitants, Beaune est connue pour ses Hospices et sa vente "
        "de vins de charité. Le tourisme œnologique et les climats inscrits au patrimoine mondial font sa "
        "renommée. Elle soutient la formation aux métiers du vin et l'accueil des visiteurs, et valorise ses "
        "hospices et son patrimoine médiéval.",
    ),
    "34301": (
        "https://www.sete.fr",
        "fisheries_maritime3b tour2b cult2b env2b eco2b",
        "fisheries_maritime tourism",
        "twinning",
        "Port de pêche de 45 000 habitants entre mer et étang de Thau, Sète vit de la pêche, de la "
        "conchyliculture et de son port de commerce. Ses joutes nautiques et ses festivals attirent les "
        "visiteurs. La ville protège la lagune de Thau, soutient la conchyliculture et accueille des "
        "festivals de musique et de poésie.",
    ),
    "81004": (
        "https://www.mairie-albi.fr",
        "cult3b tour2b agri2b env1b",
        "tourism",
        "twinning",
        "Ville de 51 000 habitants dont la cité épiscopale de briques rouges est inscrite au patrimoine "
        "mondial, Albi abrite un musée consacré à un grand peintre et développe l'alimentation durable. La "
        "ville mène un projet d'autosuffisance alimentaire, protège son patrimoine de briques et soutient la "
        "culture.",
    ),
    "03310": (
        "https://www.ville-vichy.fr",
        "health3b tour2b sport2b cult2b env1b",
        "tourism health_biotech",
        "twinning",
        "Reine des villes d'eaux de 25 000 habitants, Vichy conjugue thermalisme, sport de haut niveau et "
        "patrimoine Belle Époque inscrit au patrimoine mondial. Ville de santé et de sport, elle accueille "
        "des centres d'entraînement et valorise ses parcs et son patrimoine thermal.",
    ),
    "75113": (
        "https://www.mairie13.paris.fr",
        "youth3b hedu2b eco2b cult2b urb2o crea1b",
        "digital_ict research media",
        "friendship_pact youth_exchange study_mission",
        "Arrondissement du sud-est de Paris de 180 000 habitants, le 13e associe la Butte-aux-Cailles, la "
        "manufacture des Gobelins et le grand quartier neuf de Paris Rive Gauche, bâti sur d'anciennes "
        "emprises ferroviaires et industrielles au bord de la Seine, autour de la Bibliothèque nationale de "
        "France et d'universités. Il accueille un vaste campus de jeunes entreprises du numérique, un grand "
        "hôpital universitaire et un parcours d'art urbain de fresques monumentales. La mairie soutient "
        "l'emploi des jeunes, la création d'entreprises, la vie étudiante et la culture.",
    ),
    "38185": (
        "https://www.grenoble.fr",
        "hedu3b env3o climate_energy2o mob2o demo2o cult2b eco2b",
        "research_education microelectronics_ai energy_renewables",
        "project study_mission",
        "Ville de 156 000 habitants entourée de massifs alpins, Grenoble est une cité universitaire et "
        "scientifique : grands laboratoires publics, instruments de recherche européens, campus consacré aux "
        "micro et nanotechnologies et des dizaines de milliers d'étudiants. Capitale verte européenne 2022, "
        "elle donne la priorité au vélo, au tramway et aux énergies renouvelables produites par ses services "
        "publics locaux, et associe les habitants aux décisions par un budget participatif. Elle souhaite "
        "coopérer sur la recherche, l'innovation et la transition écologique.",
    ),
}
