package dev.northwind.lakehouse.source;

import java.util.List;

/**
 * Word lists for the generator: invented names in the style of an international food wholesaler's
 * customers and suppliers. Nothing here comes from the Northwind dump; only the country list and
 * the kinds of columns match its shape.
 */
final class Vocabulary {

  private Vocabulary() {}

  /** Naming conventions of one language: people, company names and street addresses. */
  record Language(
      List<String> firstNames,
      List<String> lastNames,
      List<String> companyWords,
      String companyPattern,
      List<String> streets,
      String addressPattern) {}

  record City(String name, String region) {}

  /**
   * A customer or supplier country; in postal and phone patterns {@code 9} is a digit and {@code A}
   * a capital letter.
   */
  record Country(
      String name,
      int weight,
      Language language,
      String postalPattern,
      String phonePattern,
      List<City> cities) {}

  static final Language ENGLISH =
      new Language(
          List.of(
              "James",
              "Mary",
              "John",
              "Patricia",
              "Robert",
              "Linda",
              "Michael",
              "Barbara",
              "William",
              "Susan",
              "David",
              "Karen",
              "Richard",
              "Nancy",
              "Thomas",
              "Helen",
              "Paul",
              "Laura",
              "Mark",
              "Sarah",
              "Steven",
              "Emily"),
          List.of(
              "Carter",
              "Hughes",
              "Bennett",
              "Foster",
              "Reynolds",
              "Griffin",
              "Porter",
              "Hayes",
              "Walsh",
              "Spencer",
              "Lawson",
              "Marsh",
              "Dalton",
              "Fletcher",
              "Barker",
              "Holt",
              "Murray",
              "Quinn",
              "Sheridan",
              "Whitaker"),
          List.of(
              "Food Market",
              "Grocers",
              "Provisions",
              "Delicatessen",
              "Pantry",
              "Trading Co.",
              "Fine Foods",
              "General Store",
              "Market Hall",
              "Food Imports"),
          "{last}'s {word}",
          List.of(
              "Main St.",
              "Oak Ave.",
              "Harbor Rd.",
              "Elm St.",
              "Market St.",
              "Park Ave.",
              "Cedar Ln.",
              "High St.",
              "Mill Rd.",
              "Station Rd."),
          "{num} {street}");

  static final Language GERMAN =
      new Language(
          List.of(
              "Anna",
              "Peter",
              "Klaus",
              "Sabine",
              "Jürgen",
              "Petra",
              "Wolfgang",
              "Monika",
              "Stefan",
              "Karin",
              "Thomas",
              "Ursula",
              "Michael",
              "Renate",
              "Frank",
              "Heike",
              "Andreas",
              "Birgit"),
          List.of(
              "Müller",
              "Schmidt",
              "Schneider",
              "Fischer",
              "Weber",
              "Meyer",
              "Wagner",
              "Becker",
              "Schulz",
              "Hoffmann",
              "Koch",
              "Richter",
              "Klein",
              "Wolf",
              "Neumann",
              "Schwarz",
              "Zimmermann",
              "Krüger",
              "Hartmann",
              "Lange"),
          List.of(
              "Feinkost",
              "Delikatessen",
              "Lebensmittel",
              "Handelshaus",
              "Markthalle",
              "Genusswaren"),
          "{last} {word}",
          List.of(
              "Hauptstr.",
              "Bahnhofstr.",
              "Gartenweg",
              "Lindenallee",
              "Marktplatz",
              "Schillerstr.",
              "Kirchgasse",
              "Bergstr."),
          "{street} {num}");

  static final Language FRENCH =
      new Language(
          List.of(
              "Marie",
              "Jean",
              "Pierre",
              "Sophie",
              "Michel",
              "Isabelle",
              "Philippe",
              "Catherine",
              "Alain",
              "Nathalie",
              "Laurent",
              "Sylvie",
              "Nicolas",
              "Claire",
              "Olivier",
              "Martine"),
          List.of(
              "Martin",
              "Bernard",
              "Dubois",
              "Thomas",
              "Robert",
              "Richard",
              "Petit",
              "Durand",
              "Leroy",
              "Moreau",
              "Simon",
              "Lefèvre",
              "Girard",
              "Bertrand",
              "Roux",
              "Vincent",
              "Fournier",
              "Morel"),
          List.of(
              "Épicerie",
              "Maison",
              "Comptoir",
              "Délices",
              "Fromagerie",
              "Les Halles",
              "Cave",
              "Panier"),
          "{word} {last}",
          List.of(
              "rue des Lilas",
              "rue du Commerce",
              "avenue Victor Hugo",
              "place de la Gare",
              "boulevard Voltaire",
              "rue de la Paix",
              "chemin des Vignes"),
          "{num}, {street}");

  static final Language SPANISH =
      new Language(
          List.of(
              "María",
              "José",
              "Carmen",
              "Antonio",
              "Ana",
              "Manuel",
              "Isabel",
              "Francisco",
              "Laura",
              "Javier",
              "Lucía",
              "Carlos",
              "Elena",
              "Miguel",
              "Rosa",
              "Diego"),
          List.of(
              "García",
              "Fernández",
              "González",
              "Rodríguez",
              "López",
              "Martínez",
              "Sánchez",
              "Pérez",
              "Gómez",
              "Díaz",
              "Torres",
              "Ramírez",
              "Flores",
              "Herrera",
              "Morales",
              "Castillo",
              "Ortega",
              "Navarro",
              "Rojas",
              "Vargas"),
          List.of(
              "Comidas", "Despensa", "Almacén", "Tienda", "Delicias", "Ultramarinos", "Mercado"),
          "{word} {last}",
          List.of(
              "Calle Mayor",
              "Avda. del Sol",
              "Calle Real",
              "Paseo de la Luna",
              "Calle del Río",
              "Plaza Central"),
          "{street} {num}");

  static final Language PORTUGUESE =
      new Language(
          List.of(
              "João",
              "Maria",
              "Ana",
              "Pedro",
              "Paulo",
              "Mariana",
              "Lucas",
              "Beatriz",
              "Rafael",
              "Fernanda",
              "Tiago",
              "Carla",
              "Gabriel",
              "Sofia"),
          List.of(
              "Silva",
              "Santos",
              "Oliveira",
              "Souza",
              "Pereira",
              "Costa",
              "Almeida",
              "Ferreira",
              "Rodrigues",
              "Carvalho",
              "Gomes",
              "Martins",
              "Araújo",
              "Ribeiro",
              "Lima"),
          List.of("Mercearia", "Empório", "Casa", "Armazém", "Delícias", "Quitanda"),
          "{word} {last}",
          List.of(
              "Rua das Flores",
              "Av. Brasil",
              "Rua do Comércio",
              "Av. da Liberdade",
              "Rua Augusta",
              "Travessa do Sol"),
          "{street}, {num}");

  static final Language ITALIAN =
      new Language(
          List.of(
              "Giovanni",
              "Maria",
              "Giuseppe",
              "Anna",
              "Francesco",
              "Lucia",
              "Antonio",
              "Paola",
              "Marco",
              "Giulia",
              "Luca",
              "Chiara",
              "Paolo",
              "Elena"),
          List.of(
              "Rossi",
              "Russo",
              "Ferrari",
              "Esposito",
              "Bianchi",
              "Romano",
              "Colombo",
              "Ricci",
              "Marino",
              "Greco",
              "Bruno",
              "Gallo",
              "Conti",
              "Giordano"),
          List.of("Alimentari", "Bottega", "Salumeria", "Drogheria", "Dispensa", "Gastronomia"),
          "{word} {last}",
          List.of(
              "Via Roma",
              "Corso Italia",
              "Via Garibaldi",
              "Piazza Duomo",
              "Via Verdi",
              "Viale Mazzini"),
          "{street} {num}");

  static final Language NORDIC =
      new Language(
          List.of(
              "Lars", "Anna", "Erik", "Karin", "Nils", "Ingrid", "Olav", "Sofia", "Mikko", "Liisa",
              "Jens", "Maja", "Henrik", "Astrid"),
          List.of(
              "Hansen",
              "Johansson",
              "Nielsen",
              "Larsen",
              "Andersson",
              "Berg",
              "Lindqvist",
              "Virtanen",
              "Korhonen",
              "Dahl",
              "Lund",
              "Holm",
              "Nyström",
              "Eriksen"),
          List.of("Livs", "Handel", "Delikatesser", "Matbod", "Specerier", "Kolonial"),
          "{last}s {word}",
          List.of("Storgatan", "Kirkegata", "Havnevej", "Åkervägen", "Kauppakatu", "Strandvejen"),
          "{street} {num}");

  static final Language POLISH =
      new Language(
          List.of(
              "Anna",
              "Piotr",
              "Katarzyna",
              "Tomasz",
              "Magdalena",
              "Paweł",
              "Agnieszka",
              "Marcin",
              "Ewa",
              "Krzysztof"),
          List.of(
              "Nowak",
              "Kowalski",
              "Wiśniewski",
              "Wójcik",
              "Kamiński",
              "Lewandowski",
              "Zieliński",
              "Szymański",
              "Dąbrowski",
              "Kozłowski"),
          List.of("Delikatesy", "Spiżarnia", "Sklep", "Smaki"),
          "{word} {last}",
          List.of("ul. Długa", "ul. Polna", "ul. Lipowa", "ul. Kwiatowa", "ul. Ogrodowa"),
          "{street} {num}");

  private static List<City> cities(String... nameRegionPairs) {
    List<City> list = new java.util.ArrayList<>();
    for (int i = 0; i < nameRegionPairs.length; i += 2) {
      list.add(new City(nameRegionPairs[i], nameRegionPairs[i + 1]));
    }
    return List.copyOf(list);
  }

  private static List<City> cities(List<String> names) {
    return names.stream().map(n -> new City(n, null)).toList();
  }

  /** 21 countries, weighted roughly like a European/American wholesaler's customer base. */
  static final List<Country> COUNTRIES =
      List.of(
          new Country(
              "USA",
              13,
              ENGLISH,
              "99999",
              "(999) 555-9999",
              cities(
                  "Seattle",
                  "WA",
                  "Portland",
                  "OR",
                  "Boise",
                  "ID",
                  "Denver",
                  "CO",
                  "Austin",
                  "TX",
                  "Boston",
                  "MA",
                  "Chicago",
                  "IL",
                  "Albuquerque",
                  "NM",
                  "Anchorage",
                  "AK",
                  "Spokane",
                  "WA",
                  "Eugene",
                  "OR",
                  "Butte",
                  "MT",
                  "San Francisco",
                  "CA")),
          new Country(
              "Canada",
              3,
              ENGLISH,
              "A9A 9A9",
              "(999) 555-9999",
              cities(
                  "Vancouver",
                  "BC",
                  "Montréal",
                  "Québec",
                  "Calgary",
                  "AB",
                  "Toronto",
                  "ON",
                  "Halifax",
                  "NS")),
          new Country(
              "Mexico",
              5,
              SPANISH,
              "99999",
              "(5) 555-9999",
              cities(List.of("México D.F.", "Guadalajara", "Monterrey", "Puebla"))),
          new Country(
              "Brazil",
              9,
              PORTUGUESE,
              "99999-999",
              "(11) 555-9999",
              cities(
                  "São Paulo",
                  "SP",
                  "Rio de Janeiro",
                  "RJ",
                  "Campinas",
                  "SP",
                  "Resende",
                  "SP",
                  "Curitiba",
                  "PR")),
          new Country(
              "Argentina",
              3,
              SPANISH,
              "9999",
              "(1) 135-9999",
              cities(List.of("Buenos Aires", "Córdoba", "Rosario"))),
          new Country(
              "Venezuela",
              4,
              SPANISH,
              "9999",
              "(9) 555-9999",
              cities(
                  "Caracas",
                  "DF",
                  "San Cristóbal",
                  "Táchira",
                  "Barquisimeto",
                  "Lara",
                  "Maracaibo",
                  "Zulia")),
          new Country(
              "UK",
              7,
              ENGLISH,
              "AA9 9AA",
              "(171) 555-9999",
              cities(
                  "London",
                  null,
                  "Cowes",
                  "Isle of Wight",
                  "Manchester",
                  null,
                  "Bristol",
                  null,
                  "Leeds",
                  null,
                  "Edinburgh",
                  null)),
          new Country(
              "Ireland",
              1,
              ENGLISH,
              null,
              "2967 999",
              cities("Cork", "Co. Cork", "Dublin", null, "Galway", "Co. Galway")),
          new Country(
              "France",
              11,
              FRENCH,
              "99999",
              "99.99.99.99",
              cities(
                  List.of(
                      "Paris",
                      "Lyon",
                      "Marseille",
                      "Nantes",
                      "Lille",
                      "Reims",
                      "Strasbourg",
                      "Toulouse",
                      "Versailles"))),
          new Country(
              "Germany",
              11,
              GERMAN,
              "99999",
              "0999-9999999",
              cities(
                  List.of(
                      "Berlin",
                      "München",
                      "Hamburg",
                      "Köln",
                      "Frankfurt a.M.",
                      "Stuttgart",
                      "Leipzig",
                      "Aachen",
                      "Mannheim",
                      "Brandenburg"))),
          new Country(
              "Belgium",
              2,
              FRENCH,
              "B-9999",
              "(02) 999 99 99",
              cities(List.of("Bruxelles", "Charleroi", "Liège", "Namur"))),
          new Country(
              "Switzerland",
              2,
              GERMAN,
              "9999",
              "0452-999999",
              cities(List.of("Genève", "Bern", "Zürich", "Basel"))),
          new Country(
              "Austria",
              2,
              GERMAN,
              "9999",
              "0999-99999",
              cities(List.of("Graz", "Salzburg", "Wien", "Linz", "Innsbruck"))),
          new Country(
              "Italy",
              3,
              ITALIAN,
              "99999",
              "099-9999999",
              cities(List.of("Torino", "Bergamo", "Reggio Emilia", "Milano", "Roma", "Bologna"))),
          new Country(
              "Spain",
              5,
              SPANISH,
              "99999",
              "(91) 555 99 99",
              cities(List.of("Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao"))),
          new Country(
              "Portugal",
              2,
              PORTUGUESE,
              "9999",
              "(1) 999-9999",
              cities(List.of("Lisboa", "Porto", "Coimbra"))),
          new Country(
              "Denmark",
              2,
              NORDIC,
              "9999",
              "99 99 99 99",
              cities(List.of("København", "Århus", "Odense"))),
          new Country(
              "Sweden",
              2,
              NORDIC,
              "S-999 99",
              "0921-99 99 99",
              cities(List.of("Luleå", "Bräcke", "Göteborg", "Malmö", "Stockholm"))),
          new Country(
              "Norway",
              1,
              NORDIC,
              "9999",
              "07-99 99 99",
              cities(List.of("Stavern", "Oslo", "Bergen", "Trondheim"))),
          new Country(
              "Finland",
              2,
              NORDIC,
              "99999",
              "90-999 9999",
              cities(List.of("Helsinki", "Oulu", "Espoo", "Tampere"))),
          new Country(
              "Poland",
              1,
              POLISH,
              "99-999",
              "(26) 642-9999",
              cities(List.of("Warszawa", "Kraków", "Gdańsk", "Poznań"))));

  static final List<String> CONTACT_TITLES =
      List.of(
          "Sales Representative",
          "Owner",
          "Marketing Manager",
          "Accounting Manager",
          "Order Administrator",
          "Sales Manager",
          "Sales Associate",
          "Marketing Assistant",
          "Sales Agent",
          "Purchasing Manager",
          "Export Administrator",
          "Product Manager");

  /** Category name (at most 15 characters), description, and units a product is sold in. */
  record Category(String name, String description, List<String> units, List<String> products) {}

  static final List<Category> CATEGORIES =
      List.of(
          new Category(
              "Beverages",
              "Teas, coffees, beers and soft drinks",
              List.of(
                  "24 - 12 oz bottles",
                  "12 - 355 ml cans",
                  "20 bags x 4 pieces",
                  "16 - 500 g tins",
                  "12 - 1 l bottles"),
              List.of(
                  "Highland Black Tea",
                  "Jasmine Green Tea",
                  "Mountain Roast Coffee",
                  "Espresso Blend",
                  "Harbor Pale Ale",
                  "Abbey Dubbel",
                  "Lemon Cordial",
                  "Ginger Beer",
                  "Orchard Apple Cider",
                  "Rooibos Chai",
                  "Dark Lager",
                  "Mango Nectar")),
          new Category(
              "Condiments",
              "Sauces, mustards, relishes, oils and spice pastes",
              List.of(
                  "12 - 550 ml bottles",
                  "24 - 8 oz jars",
                  "48 - 6 oz jars",
                  "12 - 200 ml jars",
                  "24 - 250 g jars"),
              List.of(
                  "Smoked Paprika Sauce",
                  "Spiced Mustard",
                  "Herb Vinegar",
                  "Chili Relish",
                  "Garlic Aioli",
                  "Anise Syrup",
                  "Truffle Oil",
                  "Tomato Chutney",
                  "Green Curry Paste",
                  "Honey Mustard",
                  "Barbecue Rub",
                  "Soy Glaze")),
          new Category(
              "Confections",
              "Chocolates, cookies, candies and sweet breads",
              List.of(
                  "10 boxes x 12 pieces",
                  "30 gift boxes",
                  "24 - 100 g bars",
                  "12 - 250 g pkgs.",
                  "50 bags x 30 sgs."),
              List.of(
                  "Dark Chocolate Bar",
                  "Almond Nougat",
                  "Licorice Twists",
                  "Butter Cookies",
                  "Marzipan Loaf",
                  "Hazelnut Wafers",
                  "Caramel Fudge",
                  "Gingerbread",
                  "Fruit Jellies",
                  "Maple Candy",
                  "Toffee Brittle",
                  "Chocolate Truffles")),
          new Category(
              "Dairy",
              "Cheeses and other dairy products",
              List.of(
                  "10 - 500 g pkgs.",
                  "12 - 100 g pkgs",
                  "24 - 200 g pkgs.",
                  "1k pkg.",
                  "15 - 300 g rounds"),
              List.of(
                  "Aged Gouda",
                  "Valley Blue Cheese",
                  "Herbed Goat Cheese",
                  "Alpine Emmental",
                  "Smoked Mozzarella",
                  "Mascarpone Cream",
                  "Farmhouse Brie",
                  "Brined Feta",
                  "Gruyère Reserve",
                  "Mature Cheddar",
                  "Ricotta Fresca",
                  "Creamy Camembert")),
          new Category(
              "Bakery & Grains",
              "Breads, crackers, pasta, rice and cereals",
              List.of(
                  "24 - 500 g pkgs.",
                  "12 - 1 kg pkgs.",
                  "16 - 2 kg boxes",
                  "20 - 450 g glasses",
                  "32 - 500 g boxes"),
              List.of(
                  "Rye Crispbread",
                  "Whole Wheat Pasta",
                  "Basmati Rice",
                  "Rolled Oats",
                  "Potato Gnocchi",
                  "Sourdough Crackers",
                  "Couscous",
                  "Golden Polenta",
                  "Spelt Flour",
                  "Egg Noodles",
                  "Spinach Ravioli",
                  "Pearl Barley")),
          new Category(
              "Meat & Poultry",
              "Cured and prepared meats, pâtés and sausages",
              List.of(
                  "48 pieces",
                  "20 - 1 kg tins",
                  "16 pies",
                  "24 boxes x 2 pies",
                  "10 - 500 g pkgs."),
              List.of(
                  "Smoked Ham",
                  "Beef Jerky",
                  "Duck Pâté",
                  "Chicken Sausages",
                  "Braised Lamb Shanks",
                  "Turkey Breast",
                  "Salami Milano",
                  "Pork Rillettes",
                  "Venison Terrine",
                  "Bresaola",
                  "Country Meat Pie",
                  "Chorizo")),
          new Category(
              "Produce",
              "Dried fruit, nuts, pickles and bean curd",
              List.of(
                  "50 - 300 g pkgs.",
                  "12 - 1 lb pkgs.",
                  "40 - 100 g pkgs.",
                  "5 kg pkg.",
                  "24 - 250 g jars"),
              List.of(
                  "Dried Apricots",
                  "Dried Apples",
                  "Firm Tofu",
                  "Sun-Dried Tomatoes",
                  "Pickled Beets",
                  "Dried Figs",
                  "Marinated Artichokes",
                  "Mixed Nuts",
                  "Golden Raisins",
                  "Chestnut Purée",
                  "Olive Tapenade",
                  "Dried Mushrooms")),
          new Category(
              "Seafood",
              "Fish, shellfish, roe and seaweed",
              List.of(
                  "24 - 4 oz tins",
                  "12 - 200 ml jars",
                  "10 - 200 g glasses",
                  "1k pkg.",
                  "24 - 150 g jars"),
              List.of(
                  "Smoked Salmon",
                  "Pickled Herring",
                  "Crab Meat",
                  "Anchovy Fillets",
                  "Tuna in Oil",
                  "Lumpfish Roe",
                  "Cod Roe Spread",
                  "Shrimp Cocktail",
                  "Clam Chowder",
                  "Sardines in Oil",
                  "Seaweed Snack",
                  "Mussels in Brine")));

  static final List<String> SHIPPER_NAMES =
      List.of(
          "Rapid Freight",
          "Coastal Carriers",
          "Swift Parcel",
          "Atlas Logistics",
          "Meridian Express",
          "Blue Line Shipping",
          "Northbound Couriers",
          "Harbor Transport",
          "Pacific Haulage",
          "Keystone Cargo");

  static final List<String> REGIONS = List.of("Eastern", "Western", "Northern", "Southern");

  /** US sales territories by region (1-based index into {@link #REGIONS}). */
  static final List<List<String>> TERRITORIES =
      List.of(
          List.of(
              "Boston",
              "Providence",
              "Hartford",
              "New York",
              "Newark",
              "Philadelphia",
              "Pittsburgh",
              "Baltimore",
              "Wilmington",
              "Albany",
              "Buffalo",
              "Rochester",
              "Syracuse",
              "Trenton"),
          List.of(
              "Seattle",
              "Tacoma",
              "Spokane",
              "Portland",
              "Eugene",
              "Sacramento",
              "San Diego",
              "Fresno",
              "Phoenix",
              "Tucson",
              "Reno",
              "Salt Lake City",
              "Boise"),
          List.of(
              "Chicago",
              "Detroit",
              "Milwaukee",
              "Minneapolis",
              "Columbus",
              "Cleveland",
              "Cincinnati",
              "Indianapolis",
              "Des Moines",
              "Omaha",
              "Fargo",
              "Madison",
              "Green Bay",
              "Duluth"),
          List.of(
              "Atlanta",
              "Miami",
              "Orlando",
              "Tampa",
              "Dallas",
              "Houston",
              "Austin",
              "Nashville",
              "Memphis",
              "New Orleans",
              "Charlotte",
              "Raleigh"));

  /** The 50 states and the District of Columbia: name, abbreviation, census region. */
  static final List<String[]> US_STATES =
      """
      Alabama,AL,south
      Alaska,AK,west
      Arizona,AZ,west
      Arkansas,AR,south
      California,CA,west
      Colorado,CO,west
      Connecticut,CT,northeast
      Delaware,DE,south
      District of Columbia,DC,south
      Florida,FL,south
      Georgia,GA,south
      Hawaii,HI,west
      Idaho,ID,west
      Illinois,IL,midwest
      Indiana,IN,midwest
      Iowa,IA,midwest
      Kansas,KS,midwest
      Kentucky,KY,south
      Louisiana,LA,south
      Maine,ME,northeast
      Maryland,MD,south
      Massachusetts,MA,northeast
      Michigan,MI,midwest
      Minnesota,MN,midwest
      Mississippi,MS,south
      Missouri,MO,midwest
      Montana,MT,west
      Nebraska,NE,midwest
      Nevada,NV,west
      New Hampshire,NH,northeast
      New Jersey,NJ,northeast
      New Mexico,NM,west
      New York,NY,northeast
      North Carolina,NC,south
      North Dakota,ND,midwest
      Ohio,OH,midwest
      Oklahoma,OK,south
      Oregon,OR,west
      Pennsylvania,PA,northeast
      Rhode Island,RI,northeast
      South Carolina,SC,south
      South Dakota,SD,midwest
      Tennessee,TN,south
      Texas,TX,south
      Utah,UT,west
      Vermont,VT,northeast
      Virginia,VA,south
      Washington,WA,west
      West Virginia,WV,south
      Wisconsin,WI,midwest
      Wyoming,WY,west
      """
          .lines()
          .map(line -> line.split(","))
          .toList();

  static final List<String> MALE_FIRST =
      List.of("Andrew", "Steven", "Michael", "Robert", "George", "Daniel", "Edward");
  static final List<String> FEMALE_FIRST =
      List.of("Nancy", "Janet", "Margaret", "Laura", "Anne", "Helen", "Claire");
  static final List<String> DEGREES =
      List.of(
          "a BA in psychology",
          "a BS in chemistry",
          "a BA in English literature",
          "an MBA",
          "a BA in economics",
          "a degree in French",
          "a BS in marketing");
  static final List<String> SCHOOLS =
      List.of(
          "a state university",
          "a college in Oregon",
          "the University of London",
          "a business school in Boston",
          "a university in Scotland");
}
