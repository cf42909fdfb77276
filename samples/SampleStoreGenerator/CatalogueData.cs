namespace Affinsy.Samples.StoreGenerator;

/// <summary>
/// The shop's range as plain text, one line per product: description | price | popularity [| season].
/// A line starting with '#' opens a category. Descriptions are invented for this sample; several
/// contain commas (and one a double quote) so the CSV parser meets RFC 4180 quoting.
/// </summary>
internal static class CatalogueData
{
    public const string Text = """
        # Tea & Coffee
        Ceramic Tea Pot, Blue Willow | 18.50 | 6
        Tea Cup and Saucer, Blue Willow | 6.95 | 7
        Milk Jug, Blue Willow | 7.50 | 4
        Sugar Bowl, Blue Willow | 7.50 | 3
        Ceramic Tea Pot, Sage Green | 18.50 | 4
        Tea Cup and Saucer, Sage Green | 6.95 | 5
        Loose Leaf Tea, English Breakfast | 5.25 | 8
        Loose Leaf Tea, Earl Grey | 5.25 | 6
        Loose Leaf Tea, Chamomile | 5.25 | 4
        Tea Strainer, Stainless Steel | 3.95 | 5
        Knitted Tea Cosy, Red | 9.95 | 3
        Cafetiere, 8 Cup | 24.00 | 5
        Ground Coffee, House Blend | 6.50 | 8
        Ground Coffee, Decaf | 6.50 | 3
        Enamel Coffee Mug, Cream | 7.95 | 6
        Enamel Coffee Mug, Navy | 7.95 | 5
        Coffee Scoop, Brass | 4.50 | 2
        Hot Chocolate Tin, Salted Caramel | 6.95 | 4
        Biscuit Barrel, Tin | 11.95 | 3
        Honey Jar with Dipper | 8.95 | 3
        # Tableware
        Dinner Plate, White Stoneware | 8.50 | 6
        Side Plate, White Stoneware | 6.50 | 5
        Pasta Bowl, White Stoneware | 7.95 | 5
        Cereal Bowl, Speckled | 5.95 | 5
        Mug, Speckled | 5.95 | 7
        Cake Stand, White Porcelain | 19.95 | 4
        Cake Stand, Three Tier Vintage | 27.50 | 3
        Wine Glasses, Set of 4 | 22.00 | 4
        Tumbler Glasses, Set of 4 | 16.00 | 4
        Glass Water Carafe | 12.95 | 3
        Linen Napkins, Set of 4 | 14.00 | 3
        Table Runner, Natural Linen | 16.50 | 3
        Cutlery Set, 16 Piece | 34.00 | 3
        Butter Dish, Stoneware | 9.50 | 2
        Salt and Pepper Mills, Beech | 18.00 | 3
        Serving Board, Acacia | 21.00 | 3
        Olive Dish, Ceramic | 6.50 | 2
        Egg Cups, Set of 4 | 5.50 | 3
        Toast Rack, Chrome | 8.95 | 2
        # Kitchen & Baking
        Cake Tin, Round 8 Inch | 9.95 | 5
        Loaf Tin, 2lb | 7.95 | 4
        Baking Parchment Roll | 2.95 | 7
        Silicone Spatula | 3.95 | 5
        Mixing Bowl, Cream Stoneware | 18.50 | 4
        Measuring Spoons, Copper | 8.50 | 3
        Measuring Jug, Glass | 6.95 | 3
        Balloon Whisk | 4.25 | 4
        Rolling Pin, Beech | 7.50 | 3
        Cookie Cutters, Set of 6 | 5.95 | 4
        Cupcake Cases, Pack of 60 | 2.50 | 6
        Cake Decorating Sprinkles | 2.95 | 4
        Icing Set, 12 Nozzles | 9.95 | 2
        Wooden Spoon Set of 3 | 5.50 | 5
        Utensil Pot, Ceramic | 9.95 | 3
        Cooling Rack | 6.50 | 3
        Kitchen Scales, Retro Cream | 29.00 | 3
        Pestle and Mortar, Granite | 19.95 | 2
        Herb Scissors | 7.95 | 2
        Garlic Press | 6.95 | 2
        Chopping Board, Bamboo | 14.00 | 4
        # Kitchen Textiles
        Tea Towel, Lemon Print | 4.95 | 7
        Oven Glove, Lemon Print | 7.95 | 4
        Apron, Lemon Print | 12.95 | 4
        Tea Towel, Red Stripe | 4.95 | 6
        Oven Glove, Red Stripe | 7.95 | 3
        Apron, Red Stripe | 12.95 | 3
        Tea Towel, Botanical | 4.95 | 5
        Dish Cloths, Pack of 3 | 3.50 | 5
        Pot Holders, Pair | 5.95 | 3
        # Candles & Fragrance
        Scented Candle, Fig and Cassis | 14.95 | 6
        Scented Candle, Sea Salt | 14.95 | 5
        Scented Candle, Winter Spice | 14.95 | 4 | christmas
        Tea Lights, Pack of 24 | 2.95 | 9
        Glass Votive Holder, Clear | 2.50 | 5
        Glass Votive Holder, Amber | 2.50 | 4
        Hanging Heart T-Light Holder, White | 3.25 | 8
        Matches in Gift Tin | 2.25 | 4
        Candle Snuffer, Brass | 6.95 | 2
        Reed Diffuser, Lavender | 16.00 | 4
        Diffuser Refill, Lavender | 9.50 | 3
        Pillar Candle, Ivory | 5.95 | 4
        Candle Plate, Ceramic | 4.95 | 3
        Lantern, Black Metal | 19.50 | 3
        Wax Melts, Vanilla | 3.50 | 3
        # Home Decor
        Cushion Cover, Mustard Knit | 14.00 | 4
        Cushion Cover, Grey Linen | 14.00 | 4
        Cushion Pad, 45cm | 6.00 | 4
        Throw, Herringbone Wool | 45.00 | 3
        Photo Frame 5"x7", Oak | 9.95 | 4
        Photo Frame 8x10, Oak | 12.95 | 3
        "Home Sweet Home" Sign, Wooden | 8.50 | 3
        Wall Clock, Station Style | 28.00 | 3
        Mirror, Round Rattan | 38.00 | 2
        Bud Vase, Glass | 4.50 | 4
        Vase, Ribbed Ceramic | 16.50 | 3
        Dried Flower Bunch, Lavender | 7.95 | 3
        Faux Eucalyptus Stem | 5.50 | 4
        Plant Pot, Terracotta Small | 4.95 | 5
        Plant Pot, Terracotta Large | 9.95 | 3
        Door Stop, Sausage Dog | 16.00 | 2
        Coat Hooks, Brass Set of 3 | 11.00 | 2
        String Fairy Lights, Warm White | 12.00 | 6
        Battery Pack, AA 8 Pack | 4.50 | 6
        Bunting, Floral Fabric | 9.95 | 3
        # Storage
        Storage Jar, Small | 5.95 | 5
        Storage Jar, Medium | 7.95 | 5
        Storage Jar, Large | 9.95 | 4
        Jar Labels, Chalkboard | 2.95 | 4
        Woven Basket, Seagrass Small | 12.00 | 3
        Woven Basket, Seagrass Large | 19.00 | 3
        Spice Rack, Wooden | 15.00 | 2
        Bread Bin, Cream Enamel | 24.00 | 3
        Lunch Box, Polka Dot | 6.95 | 5
        Water Bottle, Polka Dot | 8.50 | 5
        Lunch Bag, Polka Dot | 5.95 | 5
        Lunch Box, Dinosaur | 6.95 | 4
        Water Bottle, Dinosaur | 8.50 | 3
        Jumbo Shopper Bag, Red Retro | 3.95 | 7
        Jumbo Shopper Bag, Vintage Leaf | 3.95 | 6
        # Garden & Outdoor
        Watering Can, Zinc | 18.00 | 4 | summer
        Seed Tin, Kitchen Herbs | 8.50 | 4 | summer
        Plant Labels, Slate Set of 6 | 5.95 | 3 | summer
        Garden Twine in Tin | 4.25 | 4 | summer
        Gardening Gloves, Floral | 7.50 | 4 | summer
        Hand Trowel, Ash Handle | 9.95 | 3 | summer
        Kneeling Pad, Floral | 8.95 | 3 | summer
        Bird Feeder, Hanging Metal | 12.50 | 4
        Bird Seed Mix, 1kg | 4.95 | 5
        Bird House, Painted Wood | 16.95 | 2
        Picnic Blanket, Tartan | 24.00 | 3 | summer
        Enamel Picnic Plates, Set of 4 | 14.00 | 3 | summer
        Picnic Hamper, Wicker | 42.00 | 2 | summer
        Cool Bag, Gingham | 12.00 | 3 | summer
        Solar Jar Light | 9.95 | 3 | summer
        Citronella Candle in Bucket | 7.95 | 3 | summer
        # Stationery & Cards
        Notebook, A5 Linen | 7.50 | 6
        Notebook, A6 Pocket | 3.95 | 5
        Fountain Pen, Black | 14.00 | 3
        Ink Cartridges, Pack of 6 | 2.95 | 3
        Pencil Set, Graphite | 4.50 | 4
        Washi Tape, Set of 5 | 4.95 | 5
        Greeting Card, Birthday Floral | 2.95 | 7
        Greeting Card, Thank You | 2.50 | 5
        Greeting Card, New Home | 2.95 | 3
        Gift Card Envelope, Kraft | 0.85 | 4
        Desk Planner, Undated | 12.50 | 3
        Wall Calendar 2026, Botanical | 10.00 | 3 | christmas
        Postcard Set, Vintage Maps | 4.95 | 3
        Pen Pot, Ceramic | 6.95 | 2
        # Party & Gift Wrap
        Paper Party Cups, Pink | 2.95 | 4
        Paper Party Plates, Pink | 2.95 | 4
        Paper Napkins, Pink | 2.50 | 4
        Party Bunting, Pastel | 5.95 | 4
        Birthday Candles, Pack of 24 | 1.95 | 5
        Balloons, Pastel Pack of 20 | 3.50 | 4
        Party Bag, Pack of 8 | 3.95 | 3
        Gift Wrap, Kraft with Stars | 2.95 | 5
        Gift Wrap, Floral | 2.95 | 4
        Gift Tags, Pack of 10 | 1.95 | 5
        Ribbon Spool, Red Velvet | 3.50 | 3
        Gift Bag, Medium Kraft | 2.50 | 4
        Tissue Paper, 10 Sheets | 1.75 | 3
        # Kids & Toys
        Colouring Book, Animals | 4.50 | 4
        Wax Crayons, Pack of 12 | 2.95 | 4
        Jigsaw Puzzle, 500 Piece | 12.00 | 3
        Wooden Skittles Set | 14.50 | 2
        Skipping Rope, Wooden Handles | 5.50 | 3
        Knitted Bunny Soft Toy | 15.00 | 3
        Sticker Book, Space | 3.95 | 3
        Marble Run, Wooden | 24.00 | 2
        Spinning Top, Tin | 3.50 | 3
        Children's Apron, Dinosaur | 8.95 | 2
        # Bath & Body
        Bath Salts, Lavender | 8.50 | 4
        Soap Bar, Oat and Honey | 4.50 | 5
        Soap Dish, Ceramic | 5.95 | 3
        Hand Cream, Rose | 9.50 | 4
        Bath Towel, Waffle Cotton | 22.00 | 3
        Hand Towel, Waffle Cotton | 12.00 | 3
        Wash Bag, Floral | 14.00 | 3
        Nail Brush, Beech | 4.95 | 2
        Lip Balm Tin, Peppermint | 3.50 | 4
        # Christmas
        Advent Calendar, Wooden House | 32.00 | 4 | christmas
        Paper Chain Kit | 3.95 | 5 | christmas
        Christmas Baubles, Red Set of 6 | 8.50 | 6 | christmas
        Christmas Baubles, Gold Set of 6 | 8.50 | 5 | christmas
        Tree Topper Star, Gold | 9.95 | 4 | christmas
        Christmas Gift Wrap, Red Stripe | 2.95 | 6 | christmas
        Christmas Gift Tags, Pack of 10 | 1.95 | 5 | christmas
        Christmas Cards, Box of 10 | 6.50 | 6 | christmas
        Christmas Crackers, Box of 6 | 12.00 | 5 | christmas
        Wreath, Eucalyptus and Pine | 28.00 | 3 | christmas
        Felt Stocking, Red | 9.50 | 4 | christmas
        Wooden Tree Decorations, Set of 12 | 7.95 | 4 | christmas
        Mulled Wine Spice Kit | 5.95 | 3 | christmas
        Gingerbread Cookie Cutters | 4.50 | 3 | christmas
        Nativity Set, Carved Wood | 38.00 | 2 | christmas
        Snow Globe, Village | 12.50 | 3 | christmas
        """;
}
