namespace Affinsy.Samples.StoreGenerator;

/// <summary>The co-purchase structure planted in the data: bundles (shopping missions) and one-way add-ons.</summary>
internal sealed class CoPurchasePlan
{
    private CoPurchasePlan(IReadOnlyList<Bundle> bundles, IReadOnlyList<Complement> complements)
    {
        Bundles = bundles;
        Complements = complements;
    }

    public IReadOnlyList<Bundle> Bundles { get; }

    public IReadOnlyList<Complement> Complements { get; }

    public static CoPurchasePlan For(Catalogue catalogue)
    {
        Bundle B(string name, double weight, double cohesion, Season season, params string[] members) =>
            new(name, members.Select(m => catalogue[m]).ToList(), weight, cohesion, season);

        Complement C(string item, string addOn, double chance) => new(catalogue[item], catalogue[addOn], chance);

        var all = Season.AllYear;
        var bundles = new List<Bundle>
        {
            B("Blue Willow tea set", 7, 0.6, all, "Ceramic Tea Pot, Blue Willow", "Tea Cup and Saucer, Blue Willow", "Milk Jug, Blue Willow", "Sugar Bowl, Blue Willow"),
            B("Sage tea set", 3, 0.6, all, "Ceramic Tea Pot, Sage Green", "Tea Cup and Saucer, Sage Green", "Loose Leaf Tea, Chamomile"),
            B("Tea drinker", 4, 0.4, all, "Loose Leaf Tea, English Breakfast", "Loose Leaf Tea, Earl Grey", "Tea Strainer, Stainless Steel", "Honey Jar with Dipper"),
            B("Coffee corner", 5, 0.45, all, "Cafetiere, 8 Cup", "Ground Coffee, House Blend", "Enamel Coffee Mug, Cream", "Enamel Coffee Mug, Navy"),
            B("Baking day", 6, 0.45, all, "Cake Tin, Round 8 Inch", "Baking Parchment Roll", "Cupcake Cases, Pack of 60", "Cake Decorating Sprinkles", "Cooling Rack"),
            B("Bread making", 2, 0.5, all, "Loaf Tin, 2lb", "Baking Parchment Roll", "Bread Bin, Cream Enamel"),
            B("Lemon kitchen linen", 4, 0.55, all, "Tea Towel, Lemon Print", "Oven Glove, Lemon Print", "Apron, Lemon Print"),
            B("Red stripe kitchen linen", 3, 0.55, all, "Tea Towel, Red Stripe", "Oven Glove, Red Stripe", "Apron, Red Stripe"),
            B("Candlelit evening", 5, 0.45, all, "Scented Candle, Fig and Cassis", "Tea Lights, Pack of 24", "Glass Votive Holder, Clear", "Matches in Gift Tin"),
            B("Hanging hearts", 5, 0.5, all, "Hanging Heart T-Light Holder, White", "Tea Lights, Pack of 24", "Glass Votive Holder, Amber"),
            B("Pantry jars", 5, 0.65, all, "Storage Jar, Small", "Storage Jar, Medium", "Storage Jar, Large", "Jar Labels, Chalkboard"),
            B("Polka dot lunch", 4, 0.6, all, "Lunch Box, Polka Dot", "Water Bottle, Polka Dot", "Lunch Bag, Polka Dot"),
            B("Dinosaur lunch", 2, 0.5, all, "Lunch Box, Dinosaur", "Water Bottle, Dinosaur", "Children's Apron, Dinosaur"),
            B("Pink party", 5, 0.55, all, "Paper Party Cups, Pink", "Paper Party Plates, Pink", "Paper Napkins, Pink", "Party Bunting, Pastel", "Balloons, Pastel Pack of 20", "Birthday Candles, Pack of 24"),
            B("Birthday present", 5, 0.45, all, "Greeting Card, Birthday Floral", "Gift Wrap, Kraft with Stars", "Gift Tags, Pack of 10", "Ribbon Spool, Red Velvet"),
            B("Herb garden", 4, 0.45, Season.Summer, "Seed Tin, Kitchen Herbs", "Plant Labels, Slate Set of 6", "Plant Pot, Terracotta Small", "Garden Twine in Tin"),
            B("Gardener's kit", 3, 0.4, Season.Summer, "Gardening Gloves, Floral", "Hand Trowel, Ash Handle", "Kneeling Pad, Floral", "Watering Can, Zinc"),
            B("Picnic", 3, 0.45, Season.Summer, "Picnic Blanket, Tartan", "Enamel Picnic Plates, Set of 4", "Cool Bag, Gingham", "Picnic Hamper, Wicker"),
            B("Garden birds", 3, 0.5, all, "Bird Feeder, Hanging Metal", "Bird Seed Mix, 1kg", "Bird House, Painted Wood"),
            B("Writing desk", 3, 0.4, all, "Notebook, A5 Linen", "Fountain Pen, Black", "Washi Tape, Set of 5", "Pencil Set, Graphite"),
            B("Bath time", 3, 0.45, all, "Bath Salts, Lavender", "Soap Bar, Oat and Honey", "Soap Dish, Ceramic", "Hand Cream, Rose"),
            B("Fresh towels", 2, 0.55, all, "Bath Towel, Waffle Cotton", "Hand Towel, Waffle Cotton", "Wash Bag, Floral"),
            B("Stoneware table", 4, 0.5, all, "Dinner Plate, White Stoneware", "Side Plate, White Stoneware", "Pasta Bowl, White Stoneware"),
            B("Trimming the tree", 6, 0.45, Season.Christmas, "Christmas Baubles, Red Set of 6", "Christmas Baubles, Gold Set of 6", "Tree Topper Star, Gold", "Wooden Tree Decorations, Set of 12", "Paper Chain Kit"),
            B("Christmas wrapping", 6, 0.6, Season.Christmas, "Christmas Gift Wrap, Red Stripe", "Christmas Gift Tags, Pack of 10", "Christmas Cards, Box of 10", "Ribbon Spool, Red Velvet"),
            B("Christmas table", 3, 0.45, Season.Christmas, "Christmas Crackers, Box of 6", "Linen Napkins, Set of 4", "Table Runner, Natural Linen", "Pillar Candle, Ivory"),
            B("Cosy sofa", 3, 0.45, all, "Cushion Cover, Mustard Knit", "Cushion Cover, Grey Linen", "Throw, Herringbone Wool"),
            B("Rainy day crafts", 3, 0.55, all, "Colouring Book, Animals", "Wax Crayons, Pack of 12", "Sticker Book, Space"),
        };

        var complements = new List<Complement>
        {
            C("String Fairy Lights, Warm White", "Battery Pack, AA 8 Pack", 0.6),
            C("Fountain Pen, Black", "Ink Cartridges, Pack of 6", 0.7),
            C("Reed Diffuser, Lavender", "Diffuser Refill, Lavender", 0.45),
            C("Cushion Cover, Mustard Knit", "Cushion Pad, 45cm", 0.5),
            C("Cushion Cover, Grey Linen", "Cushion Pad, 45cm", 0.5),
            C("Cafetiere, 8 Cup", "Coffee Scoop, Brass", 0.3),
            C("Greeting Card, Thank You", "Gift Card Envelope, Kraft", 0.35),
            C("Ceramic Tea Pot, Blue Willow", "Loose Leaf Tea, English Breakfast", 0.35),
            C("Pillar Candle, Ivory", "Candle Plate, Ceramic", 0.4),
            C("Advent Calendar, Wooden House", "Christmas Cards, Box of 10", 0.35),
            C("Gift Wrap, Floral", "Gift Tags, Pack of 10", 0.4),
            C("Cake Stand, Three Tier Vintage", "Tea Cup and Saucer, Blue Willow", 0.35),
        };

        return new CoPurchasePlan(bundles, complements);
    }
}
