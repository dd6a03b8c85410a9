// es_gen_listings — EstateStream's own synthetic listings generator.
//
//   es_gen_listings N OUT.csv [--seed S] [--dirty FRACTION] [--threads T]
//
// Writes N listings (plus the header) in the schema of the "Portugal Real Estate 2024" data set
// (25 columns, UTF-8, LF, floats written as "250000.0", booleans True/False, empty fields for
// missing values, fields containing a comma double-quoted). OUT.csv may be "-" for stdout.
// N accepts a k/M/G suffix (10M = 10,000,000).
//
// Output is a pure function of (N, seed, dirty): rows are produced in fixed chunks of kChunkRows,
// each chunk from its own xoshiro256** stream seeded by splitmix64 from (seed, chunk index), and the
// chunks are written in order whatever --threads is. Only <cmath> functions of the C library are used
// on top of integer arithmetic (no std::*_distribution, whose output differs between standard
// libraries), so the bytes are also the same with another compiler on the same libm.
//
// With --dirty F a fraction F of the rows carries exactly one defect, spread evenly over the kinds in
// kDefects below; everything else in such a row is valid (Apartment or House, Price >= 60,000,
// LivingArea >= 25), so each defect has exactly one expected outcome in the app. A summary with the
// count of every kind goes to stderr. Clean rows are always well formed: 25 fields, finite positive
// prices; only Land and Farm rows may leave LivingArea empty, as in the real data.
//
// ---------------------------------------------------------------------------------------------------
// Calibration (rough published figures for 2023-24; asking prices in listings, which run roughly
// 20-40 % above the transaction values INE reports):
//  * Price per m2 of residential listings (Apartment + House), median by district:
//    - INE, "Estatísticas de Preços da Habitação ao nível local" (median value per m2 of dwellings
//      sold, 2023-Q4..2024-Q2): Portugal ~1,600-1,700; Área Metropolitana de Lisboa ~2,700 (Lisboa
//      municipality ~4,300+, Cascais ~4,000); Algarve ~2,600; R.A. Madeira ~2,100; AM Porto ~1,900
//      (Porto municipality ~3,000); R.A. Açores ~1,200; interior (Guarda, Bragança, Portalegre,
//      Castelo Branco, Beja) ~600-900.
//    - idealista / Confidencial Imobiliário asking-price reports by district, 2024: Lisboa
//      ~4,000-4,500, Faro ~3,000-3,700, Porto ~2,800-2,900, Madeira ~2,800-3,100, Setúbal ~2,600-2,900,
//      Aveiro/Braga/Coimbra/Leiria ~1,700-2,000, Santarém/Viseu/Vila Real ~1,100-1,400,
//      Guarda/Bragança/Portalegre/Castelo Branco ~700-1,000.
//    The targets are in kDistricts (residentialEurPerSqm); the city factors and type factors are
//    normalised at start-up so that each district's residential median lands on its target.
//  * Listing counts by district follow population (INE Censos 2021: Lisboa 2.3 M, Porto 1.8 M,
//    Setúbal 0.87 M, Braga 0.85 M, Aveiro 0.70 M, Faro 0.47 M ...) tilted towards the coast and the
//    Algarve, where the portals list most stock; the Azores and Madeira are small.
//  * Property types on Portuguese portals: Apartment ~40 %, House ~25 %, Land ~18 %, then Store,
//    Garage, Farm, Building, Office, Warehouse, Duplex, Studio, Mansion, Other - Residential. Urban
//    districts list more apartments, rural ones more houses, land and farms.
//  * Living area log-normal: apartments median ~95 m2 (T2/T3; INE Censos 2021 average dwelling
//    ~100 m2), houses ~170 m2; land has no living area in most listings (its LotSize median
//    ~1,500-2,000 m2, price median ~60-70 k€); larger homes cost less per m2 (elasticity -0.15).
//  * Other columns mimic what the portals publish: energy certificate "NC" for ~40 %, new builds
//    (2019-2025, 18 %) mostly A/A+ and 12 % dearer per m2, floors only for flats and offices,
//    PublishDate in 2023-2025 as "YYYY-MM-DD HH:MM:SS.mmm" (2 % without milliseconds), ~13 % of rows
//    with a quoted, comma-holding parish. Optional columns are filled more densely than in the 2024
//    scrape (~169 bytes a line against ~124) so that scale files are close to the ~175-byte lines of
//    the benchmark file quoted in the performance issue; 10 M rows make ~1.69 GB.
// ---------------------------------------------------------------------------------------------------

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace es::gen {
namespace {

constexpr std::string_view kHeader =
    "Price,District,City,Town,Type,EnergyCertificate,GrossArea,TotalArea,Parking,HasParking,Floor,"
    "ConstructionYear,EnergyEfficiencyLevel,PublishDate,Garage,Elevator,ElectricCarsCharging,"
    "TotalRooms,NumberOfBedrooms,NumberOfWC,ConservationStatus,LivingArea,LotSize,BuiltArea,"
    "NumberOfBathrooms\n";

constexpr std::uint64_t kChunkRows = 16384; // part of the output's definition: never change lightly

// ---------------------------------------------------------------------------------------------------
// Random numbers

std::uint64_t splitMix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng
{
public:
    Rng(std::uint64_t seed, std::uint64_t stream)
    {
        std::uint64_t sm = seed ^ (stream * 0xd1b54a32d192ed03ULL) ^ 0x4553747265616dULL;
        for (auto &word : m_s)
            word = splitMix64(sm);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }
    /// Uniform integer in [0, n).
    std::uint32_t below(std::uint32_t n)
    {
        return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }
    int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1))); }

    /// Standard normal (Box-Muller, second value kept for the next call).
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 6.283185307179586 * u2;
        m_spare = r * std::sin(a);
        m_hasSpare = true;
        return r * std::cos(a);
    }
    double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> m_s{};
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

// ---------------------------------------------------------------------------------------------------
// Calibration tables

enum PropertyType : int {
    Apartment, House, Land, Store, Garage, Farm, Building, Office, Warehouse, Studio, Duplex, Mansion,
    OtherResidential, kTypeCount
};

struct TypeSpec
{
    std::string_view name;
    double weight;      ///< national share (before the district's urban tilt)
    double priceFactor; ///< price per m2 relative to the district's residential level
    double areaMedian;  ///< living area, m2 (log-normal)
    double areaSigma;
    double areaMin;
    double areaMax;
};

constexpr std::array<TypeSpec, kTypeCount> kTypes{{
    {"Apartment", 40.0, 1.12, 95, 0.36, 22, 650},
    {"House", 25.0, 0.82, 170, 0.50, 35, 1500},
    {"Land", 18.0, 0.0, 0, 0, 0, 0},
    {"Store", 3.0, 0.80, 90, 0.80, 12, 3000},
    {"Garage", 2.4, 0.0, 16, 0.30, 9, 60},
    {"Farm", 2.4, 0.0, 220, 0.55, 40, 2500},
    {"Building", 1.8, 0.80, 520, 0.60, 90, 8000},
    {"Office", 1.5, 0.92, 110, 0.75, 15, 5000},
    {"Warehouse", 1.4, 0.30, 450, 0.90, 40, 20000},
    {"Studio", 1.1, 1.30, 36, 0.22, 16, 80},
    {"Duplex", 1.5, 1.12, 150, 0.35, 50, 700},
    {"Mansion", 0.5, 1.50, 420, 0.40, 150, 3000},
    {"Other - Residential", 0.6, 0.75, 90, 0.60, 20, 800},
}};

struct CitySpec
{
    std::string_view name;
    double weight;
    double priceFactor; ///< relative to the district (normalised at start-up)
    std::string_view towns; ///< parishes separated by ';'
};

struct DistrictSpec
{
    std::string_view name;
    double weight;               ///< share of listings
    double residentialEurPerSqm; ///< calibration target: median EUR/m2 of Apartment + House listings
    double urban;                ///< 0 = rural (houses, land, farms) .. 1 = metropolitan (apartments)
    std::vector<CitySpec> cities;
};

constexpr double kNewBuildShare = 0.18;   ///< listings built 2019-2025
constexpr double kNewBuildPremium = 1.12; ///< their price per m2 against older stock

const std::vector<DistrictSpec> &districtSpecs()
{
    static const std::vector<DistrictSpec> specs{
        {"Lisboa", 22.0, 4100, 1.0, {
            {"Lisboa", 30, 1.40, "Arroios;Avenidas Novas;Estrela;Misericórdia;Alvalade;Lumiar;Parque das Nações;Santa Maria Maior;Campo de Ourique;Benfica;Marvila;Olivais;Penha de França;Areeiro"},
            {"Cascais", 12, 1.30, "União das freguesias de Cascais e Estoril;União das freguesias de Carcavelos e Parede;Alcabideche;São Domingos de Rana"},
            {"Sintra", 12, 0.72, "Algueirão-Mem Martins;Rio de Mouro;União das freguesias de Cacém e São Marcos;União das freguesias de Sintra (Santa Maria e São Miguel, São Martinho e São Pedro de Penaferrim);Colares"},
            {"Oeiras", 8, 1.15, "União das freguesias de Oeiras e São Julião da Barra, Paço de Arcos e Caxias;União das freguesias de Algés, Linda-a-Velha e Cruz Quebrada-Dafundo;Porto Salvo;Barcarena"},
            {"Loures", 6, 0.80, "União das freguesias de Moscavide e Portela;União das freguesias de Sacavém e Prior Velho;Loures;Bucelas"},
            {"Amadora", 5, 0.82, "Venteira;Falagueira-Venda Nova;Alfragide;Encosta do Sol;Mina de Água"},
            {"Odivelas", 4, 0.80, "Odivelas;União das freguesias de Pontinha e Famões;União das freguesias de Ramada e Caneças"},
            {"Mafra", 4, 0.78, "Ericeira;Mafra;União das freguesias de Malveira e São Miguel de Alcainça"},
            {"Vila Franca de Xira", 4, 0.58, "União das freguesias de Póvoa de Santa Iria e Forte da Casa;Vila Franca de Xira;União das freguesias de Alverca do Ribatejo e Sobralinho"},
            {"Torres Vedras", 3, 0.52, "União das freguesias de Torres Vedras (São Pedro, Santiago, Santa Maria do Castelo e São Miguel) e Matacães;Silveira;União das freguesias de A dos Cunhados e Maceira"},
            {"Alenquer", 1.5, 0.48, "União das freguesias de Carregado e Cadafais;União das freguesias de Alenquer (Santo Estêvão e Triana)"},
        }},
        {"Porto", 16.0, 2800, 0.9, {
            {"Porto", 25, 1.22, "Bonfim;Campanhã;Paranhos;Ramalde;União das freguesias de Lordelo do Ouro e Massarelos;União das freguesias de Aldoar, Foz do Douro e Nevogilde;União das freguesias de Cedofeita, Santo Ildefonso, Sé, Miragaia, São Nicolau e Vitória"},
            {"Vila Nova de Gaia", 15, 0.95, "União das freguesias de Mafamude e Vilar do Paraíso;Canidelo;União das freguesias de Santa Marinha e São Pedro da Afurada;Vilar de Andorinho;Arcozelo;União das freguesias de Gulpilhares e Valadares"},
            {"Matosinhos", 9, 1.10, "União das freguesias de Matosinhos e Leça da Palmeira;União das freguesias de São Mamede de Infesta e Senhora da Hora;União das freguesias de Perafita, Lavra e Santa Cruz do Bispo;União das freguesias de Custóias, Leça do Balio e Guifões"},
            {"Maia", 6, 0.85, "Cidade da Maia;Águas Santas;Milheirós;União das freguesias de Castêlo da Maia"},
            {"Gondomar", 5, 0.72, "Rio Tinto;União das freguesias de Fânzeres e São Pedro da Cova;União das freguesias de Gondomar (São Cosme), Valbom e Jovim"},
            {"Póvoa de Varzim", 4, 0.85, "União das freguesias da Póvoa de Varzim, Beiriz e Argivai;União das freguesias de Aver-o-Mar, Amorim e Terroso"},
            {"Vila do Conde", 3, 0.80, "Vila do Conde;União das freguesias de Vila do Conde;Mindelo;Árvore"},
            {"Valongo", 3, 0.66, "Ermesinde;Alfena;Valongo"},
            {"Paredes", 2, 0.45, "Paredes;Rebordosa;Lordelo"},
            {"Penafiel", 1.5, 0.45, "Penafiel;Paço de Sousa"},
            {"Amarante", 1.5, 0.46, "União das freguesias de Amarante (São Gonçalo), Madalena, Cepelos e Gatão;Vila Caiz"},
        }},
        {"Setúbal", 9.0, 2600, 0.8, {
            {"Almada", 8, 1.08, "União das freguesias de Almada, Cova da Piedade, Pragal e Cacilhas;União das freguesias da Caparica e Trafaria;Costa da Caparica;União das freguesias de Charneca de Caparica e Sobreda"},
            {"Seixal", 6, 0.85, "União das freguesias do Seixal, Arrentela e Aldeia de Paio Pires;Amora;Corroios;Fernão Ferro"},
            {"Setúbal", 6, 0.88, "União das freguesias de Setúbal (São Julião, Nossa Senhora da Anunciada e Santa Maria da Graça);São Sebastião;Gâmbia-Pontes-Alto da Guerra"},
            {"Barreiro", 4, 0.72, "União das freguesias de Barreiro e Lavradio;Santo António da Charneca;União das freguesias de Alto do Seixalinho, Santo André e Verderena"},
            {"Sesimbra", 4, 0.95, "Quinta do Conde;Sesimbra (Castelo);Sesimbra (Santiago)"},
            {"Palmela", 3, 0.78, "Pinhal Novo;Palmela;Quinta do Anjo"},
            {"Montijo", 3, 0.82, "União das freguesias de Montijo e Afonsoeiro;Canha;Sarilhos Grandes"},
            {"Grândola", 1.5, 1.25, "Melides;Carvalhal;União das freguesias de Grândola e Santa Margarida da Serra"},
            {"Alcácer do Sal", 1, 1.05, "Comporta;União das freguesias de Alcácer do Sal (Santa Maria do Castelo e Santiago) e Santa Susana"},
            {"Sines", 1, 0.68, "Sines;Porto Covo"},
        }},
        {"Braga", 8.0, 1750, 0.65, {
            {"Braga", 12, 1.15, "São Vicente;União das freguesias de Braga (São José de São Lázaro e São João do Souto);União das freguesias de Nogueira, Fraião e Lamaçães;União das freguesias de Real, Dume e Semelhe;Gualtar"},
            {"Guimarães", 7, 0.95, "União das freguesias de Oliveira, São Paio e São Sebastião;Azurém;Creixomil;Urgezes"},
            {"Vila Nova de Famalicão", 5, 0.85, "União das freguesias de Vila Nova de Famalicão e Calendário;Ribeirão;Joane"},
            {"Barcelos", 4, 0.80, "União das freguesias de Barcelos, Vila Boa e Vila Frescainha (São Martinho e São Pedro);Arcozelo;Barcelinhos"},
            {"Esposende", 2.5, 1.05, "União das freguesias de Esposende, Marinhas e Gandra;União das freguesias de Apúlia e Fão;Forjães"},
            {"Fafe", 1.5, 0.65, "Fafe;Antime"},
            {"Vila Verde", 1.5, 0.65, "Vila Verde;Prado"},
            {"Póvoa de Lanhoso", 1, 0.60, "Póvoa de Lanhoso;Fonte Arcada"},
        }},
        {"Faro", 8.0, 3100, 0.7, {
            {"Albufeira", 5, 1.05, "União das freguesias de Albufeira e Olhos de Água;Guia;Ferreiras;Paderne"},
            {"Loulé", 6, 1.35, "Quarteira;Almancil;São Clemente;União das freguesias de Querença, Tôr e Benafim"},
            {"Lagos", 3.5, 1.15, "São Gonçalo de Lagos;Luz;Odiáxere"},
            {"Portimão", 4, 0.90, "Portimão;Alvor;Mexilhoeira Grande"},
            {"Faro", 3, 0.92, "União das freguesias de Faro (Sé e São Pedro);Montenegro;Santa Bárbara de Nexe"},
            {"Tavira", 2.5, 1.00, "União das freguesias de Tavira (Santa Maria e Santiago);União das freguesias de Conceição e Cabanas de Tavira;Santa Luzia"},
            {"Olhão", 2.5, 0.82, "Olhão;Quelfes;Pechão;Fuseta"},
            {"Silves", 2.5, 0.85, "Armação de Pêra;União das freguesias de Alcantarilha e Pêra;Silves;São Bartolomeu de Messines"},
            {"Lagoa", 2, 1.05, "União das freguesias de Lagoa e Carvoeiro;União das freguesias de Estômbar e Parchal;Porches;Ferragudo"},
            {"São Brás de Alportel", 1, 0.88, "São Brás de Alportel"},
            {"Vila Real de Santo António", 1.5, 0.85, "Monte Gordo;Vila Nova de Cacela;Vila Real de Santo António"},
            {"Aljezur", 0.8, 0.80, "Aljezur;Odeceixe;Rogil"},
        }},
        {"Aveiro", 6.0, 1850, 0.6, {
            {"Aveiro", 6, 1.20, "União das freguesias de Glória e Vera Cruz;Esgueira;São Bernardo;Aradas;Oliveirinha"},
            {"Ílhavo", 2.5, 1.05, "Gafanha da Nazaré;Ílhavo (São Salvador);Gafanha da Encarnação"},
            {"Ovar", 2.5, 0.90, "União das freguesias de Ovar, São João, Arada e São Vicente de Pereira Jusã;Esmoriz;Cortegaça"},
            {"Espinho", 2, 1.10, "Espinho;Silvalde;Anta e Guetim"},
            {"Santa Maria da Feira", 4, 0.78, "União das freguesias de Santa Maria da Feira, Travanca, Sanfins e Espargo;Fiães;Lourosa;Argoncilhe"},
            {"Águeda", 2, 0.62, "União das freguesias de Águeda e Borralha;Valongo do Vouga"},
            {"Oliveira de Azeméis", 2, 0.62, "União das freguesias de Oliveira de Azeméis, Santiago de Riba-Ul, Ul, Macinhata da Seixa e Madail;Cucujães"},
            {"Murtosa", 0.8, 0.90, "Torreira;Murtosa"},
        }},
        {"Coimbra", 5.0, 1750, 0.6, {
            {"Coimbra", 8, 1.12, "União das freguesias de Coimbra (Sé Nova, Santa Cruz, Almedina e São Bartolomeu);Santo António dos Olivais;União das freguesias de Eiras e São Paulo de Frades;União das freguesias de Santa Clara e Castelo Viegas"},
            {"Figueira da Foz", 3.5, 1.00, "União das freguesias de Buarcos e São Julião;Tavarede;São Pedro;Alhadas"},
            {"Cantanhede", 1.5, 0.65, "União das freguesias de Cantanhede e Pocariça;Tocha"},
            {"Lousã", 1, 0.62, "União das freguesias de Lousã e Vilarinho;Serpins"},
            {"Condeixa-a-Nova", 1, 0.75, "União das freguesias de Condeixa-a-Velha e Condeixa-a-Nova;Ega"},
            {"Montemor-o-Velho", 0.8, 0.60, "União das freguesias de Montemor-o-Velho e Gatões;Carapinheira"},
            {"Oliveira do Hospital", 0.8, 0.50, "União das freguesias de Oliveira do Hospital e São Paio de Gramaços;Lagares"},
        }},
        {"Leiria", 5.5, 1700, 0.55, {
            {"Leiria", 5, 1.05, "União das freguesias de Leiria, Pousos, Barreira e Cortes;União das freguesias de Marrazes e Barosa;União das freguesias de Parceiros e Azoia;Maceira"},
            {"Caldas da Rainha", 2.5, 1.00, "União das freguesias de Caldas da Rainha - Nossa Senhora do Pópulo, Coto e São Gregório;Foz do Arelho;Nadadouro;Tornada e Salir do Porto"},
            {"Nazaré", 1.2, 1.15, "Nazaré;Famalicão;Valado dos Frades"},
            {"Peniche", 1.2, 1.05, "Peniche;Atouguia da Baleia;Serra d'El-Rei"},
            {"Alcobaça", 2, 0.85, "União das freguesias de Alcobaça e Vestiaria;São Martinho do Porto;Pataias e Martingança"},
            {"Marinha Grande", 1.5, 0.85, "Marinha Grande;Vieira de Leiria;Moita"},
            {"Pombal", 1.5, 0.60, "Pombal;Louriçal;Guia, Ilha e Mata Mourisca"},
            {"Óbidos", 1, 1.20, "União das freguesias de Santa Maria, São Pedro e Sobral da Lagoa;A dos Negros;Vau"},
        }},
        {"Santarém", 5.0, 1400, 0.45, {
            {"Santarém", 3, 1.00, "União das freguesias de Santarém (Marvila), Santa Iria da Ribeira de Santarém, Santarém (São Salvador) e Santarém (São Nicolau);Vale de Santarém;Alcanede"},
            {"Tomar", 2, 0.85, "União das freguesias de Tomar (São João Baptista) e Santa Maria dos Olivais;Asseiceira;Paialvo"},
            {"Torres Novas", 1.5, 0.85, "União das freguesias de Torres Novas (Santa Maria, Salvador e Santiago);Riachos"},
            {"Ourém", 2, 0.90, "Fátima;Nossa Senhora da Piedade;Caxarias"},
            {"Abrantes", 1.5, 0.70, "União das freguesias de Abrantes (São Vicente e São João) e Alferrarede;Tramagal"},
            {"Entroncamento", 1.2, 1.00, "Nossa Senhora de Fátima;São João Baptista"},
            {"Benavente", 2, 1.30, "Samora Correia;Benavente;Santo Estêvão"},
            {"Rio Maior", 1, 0.80, "Rio Maior;Asseiceira"},
            {"Almeirim", 1, 0.95, "Almeirim;Fazendas de Almeirim"},
            {"Cartaxo", 1, 0.95, "União das freguesias de Cartaxo e Vale da Pinta;Pontével"},
        }},
        {"Viseu", 3.0, 1200, 0.4, {
            {"Viseu", 5, 1.15, "União das freguesias de Viseu;Abraveses;Ranhados;União das freguesias de Repeses e São Salvador;Rio de Loba"},
            {"Lamego", 1.5, 0.85, "União das freguesias de Lamego (Almacave e Sé);Cambres"},
            {"Tondela", 1, 0.75, "União das freguesias de Tondela e Nandufe;Campo de Besteiros"},
            {"Mangualde", 1, 0.80, "União das freguesias de Mangualde, Mesquitela e Cunha Alta;Abrunhosa-a-Velha"},
            {"São Pedro do Sul", 0.8, 0.75, "União das freguesias de São Pedro do Sul, Várzea e Baiões;Santa Cruz da Trapa"},
            {"Santa Comba Dão", 0.6, 0.80, "União das freguesias de Santa Comba Dão e Couto do Mosteiro;Treixedo"},
        }},
        {"Viana do Castelo", 2.5, 1600, 0.45, {
            {"Viana do Castelo", 4, 1.05, "União das freguesias de Viana do Castelo (Santa Maria Maior e Monserrate) e Meadela;Darque;Areosa;Castelo do Neiva"},
            {"Ponte de Lima", 2, 0.85, "União das freguesias de Arca e Ponte de Lima;Correlhã;Feitosa"},
            {"Caminha", 1.5, 1.15, "União das freguesias de Moledo e Cristelo;Vila Praia de Âncora;União das freguesias de Caminha (Matriz) e Vilarelho"},
            {"Arcos de Valdevez", 1, 0.70, "União das freguesias de Arcos de Valdevez (São Paio) e Giela;Soajo"},
            {"Valença", 0.8, 0.85, "União das freguesias de Valença, Cristelo Côvo e Arão;Ganfei"},
            {"Monção", 0.8, 0.80, "União das freguesias de Monção e Troviscoso;Pias"},
        }},
        {"Vila Real", 1.8, 1100, 0.35, {
            {"Vila Real", 4, 1.10, "União das freguesias de Vila Real (Nossa Senhora da Conceição, São Pedro e São Dinis);Mateus;Folhadela"},
            {"Chaves", 2.5, 0.95, "Santa Maria Maior;União das freguesias de Madalena e Samaiões;Outeiro Seco"},
            {"Peso da Régua", 1, 0.90, "União das freguesias de Peso da Régua e Godim;Fontelas"},
            {"Alijó", 0.6, 0.75, "Alijó;Pinhão"},
            {"Montalegre", 0.6, 0.70, "União das freguesias de Montalegre e Padroso;Cabril"},
            {"Sabrosa", 0.5, 0.80, "Sabrosa;Provesende, Gouvães do Douro e São Cristóvão do Douro"},
        }},
        {"Castelo Branco", 2.0, 900, 0.35, {
            {"Castelo Branco", 3, 1.15, "Castelo Branco;Alcains;Cebolais de Cima e Retaxo"},
            {"Covilhã", 2.5, 1.00, "União das freguesias de Covilhã e Canhoso;Tortosendo;União das freguesias de Teixoso e Sarzedo"},
            {"Fundão", 1.5, 0.95, "União das freguesias de Fundão, Valverde, Donas, Aldeia de Joanes e Aldeia Nova do Cabo;Alpedrinha"},
            {"Sertã", 0.8, 0.75, "Sertã;Cernache do Bonjardim, Nesperal e Palhais"},
            {"Idanha-a-Nova", 0.6, 0.65, "União das freguesias de Idanha-a-Nova e Alcafozes;Monsanto e Idanha-a-Velha"},
            {"Oleiros", 0.4, 0.65, "Oleiros-Amieira;Estreito-Vilar Barroco"},
        }},
        {"Évora", 1.6, 1650, 0.4, {
            {"Évora", 4, 1.10, "União das freguesias de Évora (São Mamede, Sé, São Pedro e Santo Antão);União das freguesias de Bacelo e Senhora da Saúde;União das freguesias de Malagueira e Horta das Figueiras;Canaviais"},
            {"Estremoz", 1, 0.75, "União das freguesias de Estremoz (Santa Maria e Santo André);Arcos"},
            {"Montemor-o-Novo", 1, 0.90, "União das freguesias de Nossa Senhora da Vila, Nossa Senhora do Bispo e Silveiras;Santiago do Escoural"},
            {"Vendas Novas", 0.8, 0.85, "Vendas Novas;Landeira"},
            {"Reguengos de Monsaraz", 0.6, 0.90, "Reguengos de Monsaraz;Monsaraz;Corval"},
            {"Vila Viçosa", 0.5, 0.70, "Nossa Senhora da Conceição e São Bartolomeu;Pardais"},
            {"Arraiolos", 0.5, 0.80, "Arraiolos;Vimieiro"},
        }},
        {"Portalegre", 1.0, 850, 0.3, {
            {"Portalegre", 2.5, 1.00, "União das freguesias da Sé e São Lourenço;União das freguesias de Reguengo e São Julião;Alegrete"},
            {"Elvas", 2, 1.05, "União das freguesias de Assunção, Ajuda, Salvador e Santo Ildefonso;União das freguesias de Caia, São Pedro e Alcáçova"},
            {"Ponte de Sor", 1, 0.80, "União das freguesias de Ponte de Sor, Tramaga e Vale de Açor;Galveias"},
            {"Campo Maior", 0.8, 0.95, "Nossa Senhora da Expectação;São João Baptista"},
            {"Marvão", 0.5, 1.20, "Santa Maria de Marvão;Beirã"},
            {"Castelo de Vide", 0.5, 1.15, "Santa Maria da Devesa;Santiago Maior"},
            {"Nisa", 0.5, 0.70, "União das freguesias de Espírito Santo, Nossa Senhora da Graça e São Simão;Alpalhão"},
        }},
        {"Guarda", 1.1, 800, 0.3, {
            {"Guarda", 3, 1.15, "Guarda;União das freguesias de Guarda;Gonçalo"},
            {"Seia", 1.2, 0.95, "União das freguesias de Seia, São Romão e Lapa dos Dinheiros;Sandomil"},
            {"Gouveia", 0.8, 0.90, "União das freguesias de Gouveia (São Pedro e São Julião);Vinhó"},
            {"Trancoso", 0.6, 0.80, "União das freguesias de Trancoso (São Pedro e Santa Maria) e Souto Maior;Vila Franca das Naves"},
            {"Sabugal", 0.6, 0.70, "União das freguesias do Sabugal e Aldeia de Santo António;Soito"},
            {"Pinhel", 0.5, 0.75, "Pinhel;Pala"},
            {"Manteigas", 0.3, 1.10, "Santa Maria;São Pedro"},
            {"Celorico da Beira", 0.4, 0.75, "União das freguesias de Celorico (São Pedro e Santa Maria) e Vila Boa do Mondego;Linhares"},
        }},
        {"Beja", 1.0, 1150, 0.3, {
            {"Beja", 2.5, 0.95, "União das freguesias de Beja (Salvador e Santa Maria da Feira);União das freguesias de Beja (Santiago Maior e São João Baptista);Santa Clara de Louredo"},
            {"Odemira", 2, 1.35, "Vila Nova de Milfontes;São Teotónio;Longueira/Almograve;Odemira (São Salvador e Santa Maria)"},
            {"Moura", 0.8, 0.70, "União das freguesias de Moura (Santo Agostinho e São João Baptista) e Santo Amador;Amareleja"},
            {"Serpa", 0.8, 0.75, "União das freguesias de Serpa (Salvador e Santa Maria);Pias"},
            {"Castro Verde", 0.5, 0.75, "Castro Verde e Casével;Entradas"},
            {"Mértola", 0.5, 0.70, "Mértola;Alcaria Ruiva"},
            {"Almodôvar", 0.4, 0.65, "União das freguesias de Almodôvar e Graça dos Padrões;Rosário"},
        }},
        {"Bragança", 0.8, 950, 0.3, {
            {"Bragança", 3, 1.15, "União das freguesias de Sé, Santa Maria e Meixedo;Gimonde;Samil;Santa Comba de Rossas"},
            {"Mirandela", 1.5, 0.95, "Mirandela;Torre de Dona Chama"},
            {"Macedo de Cavaleiros", 1, 0.85, "Macedo de Cavaleiros;Morais"},
            {"Miranda do Douro", 0.5, 0.75, "Miranda do Douro;Sendim e Atenor"},
            {"Torre de Moncorvo", 0.4, 0.70, "Torre de Moncorvo;Larinho"},
            {"Vimioso", 0.3, 0.60, "Vimioso;Argozelo"},
        }},
        {"Ilha da Madeira", 2.5, 2800, 0.7, {
            {"Funchal", 6, 1.10, "Sé;São Pedro;Santo António;São Martinho;Santa Maria Maior;Imaculado Coração de Maria;Santa Luzia"},
            {"Santa Cruz", 2.5, 0.90, "Caniço;Gaula;Santa Cruz"},
            {"Câmara de Lobos", 1.5, 0.80, "Câmara de Lobos;Estreito de Câmara de Lobos"},
            {"Calheta (Madeira)", 1.2, 1.05, "Calheta;Arco da Calheta;Jardim do Mar;Paul do Mar"},
            {"Machico", 1, 0.80, "Machico;Caniçal"},
            {"Ponta do Sol", 0.8, 0.95, "Ponta do Sol;Madalena do Mar;Canhas"},
            {"Ribeira Brava", 0.8, 0.85, "Ribeira Brava;Campanário;Serra de Água"},
        }},
        {"Ilha de Porto Santo", 0.2, 2700, 0.5, {
            {"Porto Santo", 1, 1.00, "Porto Santo"},
        }},
        {"Ilha de São Miguel", 1.2, 1900, 0.5, {
            {"Ponta Delgada", 5, 1.10, "São Sebastião;São Pedro;São José;Fajã de Baixo;Relva;Livramento"},
            {"Ribeira Grande", 2, 0.85, "Rabo de Peixe;Ribeira Grande (Matriz);Ribeira Grande (Conceição)"},
            {"Lagoa", 1.5, 0.95, "Lagoa (Santa Cruz);Água de Pau;Lagoa (Nossa Senhora do Rosário)"},
            {"Vila Franca do Campo", 1, 0.90, "Vila Franca do Campo (São Pedro);Ponta Garça"},
            {"Povoação", 0.5, 0.70, "Povoação;Furnas"},
            {"Nordeste", 0.4, 0.65, "Nordeste;Achada"},
        }},
        {"Ilha Terceira", 0.5, 1500, 0.45, {
            {"Angra do Heroísmo", 3, 1.05, "Sé;São Pedro;Santa Luzia;São Bento"},
            {"Praia da Vitória", 2, 0.95, "Santa Cruz;Lajes;Biscoitos"},
        }},
        {"Ilha do Faial", 0.2, 1500, 0.4, {
            {"Horta", 1, 1.00, "Angústias;Matriz;Conceição;Feteira"},
        }},
        {"Ilha do Pico", 0.2, 1350, 0.3, {
            {"Madalena", 1.5, 1.05, "Madalena;Criação Velha;Candelária"},
            {"São Roque do Pico", 0.7, 0.95, "São Roque do Pico;Santo Amaro"},
            {"Lajes do Pico", 0.7, 0.90, "Lajes do Pico;Ribeiras"},
        }},
    };
    return specs;
}

// ---------------------------------------------------------------------------------------------------
// Defects

enum DefectKind : int {
    EmptyPrice, ZeroPrice, NonNumericPrice, NanPrice, InfPrice, HugePrice, NegativeArea, ZeroArea,
    MissingField, ExtraField, EmptyDistrict, kDefectCount, NoDefect = kDefectCount
};

struct DefectSpec
{
    std::string_view key;
    std::string_view what;
    std::string_view outcome; ///< what a validating reader should do with the row
};

constexpr std::array<DefectSpec, kDefectCount> kDefects{{
    {"empty_price", "Price field empty", "rejected: price missing"},
    {"zero_price", "Price \"0.0\"", "rejected: price <= 0"},
    {"non_numeric_price", "Price \"Preço sob consulta\" / \"sob consulta\" / \"n/d\"", "rejected: price not a number"},
    {"nan_price", "Price \"NaN\"", "rejected: price not finite"},
    {"inf_price", "Price \"inf\"", "rejected: price not finite"},
    {"huge_price", "Price \"1e308\" (finite)", "rejected: price implausibly large (over 1e12)"},
    {"negative_area", "LivingArea negative (\"-85.0\")", "rejected: area <= 0"},
    {"zero_area", "LivingArea \"0.0\"", "rejected: area <= 0"},
    {"missing_field", "24 fields (last field or EnergyCertificate dropped)", "rejected: wrong field count"},
    {"extra_field", "26 fields (trailing comma or unquoted \"City, District\" Town)", "rejected: wrong field count"},
    {"empty_district", "District field empty", "accepted: District Unknown"},
}};

// ---------------------------------------------------------------------------------------------------
// Prepared tables (built once, read-only while the workers run)

/// A CSV field as written: quoted when it holds a comma or a quote.
std::string csvField(std::string_view text)
{
    if (text.find_first_of(",\"\n\r") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

struct City
{
    std::string raw;
    std::string field;
    double priceFactor = 1.0;
    std::vector<std::string> towns; // CSV fields
};

struct District
{
    std::string raw;
    std::string field;
    double eurPerSqm = 0.0; // normalised base (city and type factors included)
    double target = 0.0;
    std::vector<City> cities;
    std::vector<double> cityCum;
    std::array<double, kTypeCount> typeCum{};
};

struct Tables
{
    std::vector<District> districts;
    std::vector<double> districtCum;
};

template <typename Container>
std::size_t pick(const Container &cumulative, double u)
{
    std::size_t i = 0;
    const std::size_t last = cumulative.size() - 1;
    while (i < last && u >= cumulative[i])
        ++i;
    return i;
}

std::vector<double> cumulate(const std::vector<double> &weights)
{
    std::vector<double> cum(weights.size());
    double total = 0.0;
    for (double w : weights)
        total += w;
    double run = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        run += weights[i];
        cum[i] = run / total;
    }
    return cum;
}

std::array<double, kTypeCount> typeWeights(double urban)
{
    std::array<double, kTypeCount> w{};
    for (int t = 0; t < kTypeCount; ++t)
        w[static_cast<std::size_t>(t)] = kTypes[static_cast<std::size_t>(t)].weight;
    w[Apartment] *= 0.45 + 1.0 * urban;
    w[Studio] *= 0.40 + 1.2 * urban;
    w[House] *= 1.35 - 0.55 * urban;
    w[Land] *= 1.60 - 0.95 * urban;
    w[Farm] *= 2.20 - 2.00 * urban;
    return w;
}

Tables buildTables()
{
    Tables tables;
    std::vector<double> districtWeights;
    for (const DistrictSpec &spec : districtSpecs()) {
        District d;
        d.raw = std::string(spec.name);
        d.field = csvField(spec.name);
        d.target = spec.residentialEurPerSqm;
        std::vector<double> cityWeights;
        double cityLogMean = 0.0;
        double cityWeightSum = 0.0;
        for (const CitySpec &cs : spec.cities) {
            City c;
            c.raw = std::string(cs.name);
            c.field = csvField(cs.name);
            c.priceFactor = cs.priceFactor;
            std::string_view rest = cs.towns;
            while (!rest.empty()) {
                const std::size_t semi = rest.find(';');
                c.towns.push_back(csvField(rest.substr(0, semi)));
                rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            }
            cityWeights.push_back(cs.weight);
            cityLogMean += cs.weight * std::log(cs.priceFactor);
            cityWeightSum += cs.weight;
            d.cities.push_back(std::move(c));
        }
        cityLogMean /= cityWeightSum;
        d.cityCum = cumulate(cityWeights);
        const auto tw = typeWeights(spec.urban);
        const std::vector<double> twv(tw.begin(), tw.end());
        const auto cum = cumulate(twv);
        std::copy(cum.begin(), cum.end(), d.typeCum.begin());
        // Normalise so that the residential (Apartment + House) median lands on the target: the
        // log-price of a listing is log(base) + log(city) + log(type) + symmetric noise.
        const double wa = tw[Apartment];
        const double wh = tw[House];
        const double typeLogMean =
            (wa * std::log(kTypes[Apartment].priceFactor) + wh * std::log(kTypes[House].priceFactor)) / (wa + wh);
        const double newBuildLogMean = kNewBuildShare * std::log(kNewBuildPremium);
        d.eurPerSqm = spec.residentialEurPerSqm / std::exp(cityLogMean + typeLogMean + newBuildLogMean);
        tables.districts.push_back(std::move(d));
        districtWeights.push_back(spec.weight);
    }
    tables.districtCum = cumulate(districtWeights);
    return tables;
}

// ---------------------------------------------------------------------------------------------------
// Output buffer with cheap appends

class Buffer
{
public:
    void clear() { m_len = 0; }
    std::size_t size() const { return m_len; }
    const char *data() const { return m_data.data(); }

    /// Makes room for at least `n` more bytes; call once per row.
    void reserve(std::size_t n)
    {
        if (m_len + n > m_data.size())
            m_data.resize(std::max(m_data.size() * 2, m_len + n + (std::size_t{1} << 20)));
    }
    void put(std::string_view s)
    {
        std::memcpy(m_data.data() + m_len, s.data(), s.size());
        m_len += s.size();
    }
    void put(char c) { m_data[m_len++] = c; }
    void comma() { m_data[m_len++] = ','; }

    void putUInt(std::uint64_t v)
    {
        char tmp[24];
        int n = 0;
        do {
            tmp[n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n > 0)
            m_data[m_len++] = tmp[--n];
    }
    void put2(int v) // zero-padded two digits
    {
        m_data[m_len++] = static_cast<char>('0' + v / 10);
        m_data[m_len++] = static_cast<char>('0' + v % 10);
    }
    /// A whole number the way Python prints a float: "85.0".
    void putWhole(std::int64_t v)
    {
        if (v < 0) {
            put('-');
            v = -v;
        }
        putUInt(static_cast<std::uint64_t>(v));
        put(".0");
    }
    /// Cents the way Python prints a float: "393956.64", "393956.6", "393956.0".
    void putCents(std::int64_t cents)
    {
        putUInt(static_cast<std::uint64_t>(cents / 100));
        put('.');
        const int c = static_cast<int>(cents % 100);
        put(static_cast<char>('0' + c / 10));
        if (c % 10 != 0)
            put(static_cast<char>('0' + c % 10));
    }

private:
    std::vector<char> m_data;
    std::size_t m_len = 0;
};

struct Counters
{
    std::array<std::uint64_t, kDefectCount> defects{};
    std::uint64_t livingAreaEmpty = 0; // natural: Land / Farm without living area
};

// ---------------------------------------------------------------------------------------------------
// One row

constexpr std::array<std::string_view, 19> kFloors{
    "Ground Floor", "1st Floor", "2nd Floor", "3rd Floor", "4th Floor", "5th Floor", "6th Floor",
    "7th Floor", "8th Floor", "9th Floor", "Above 10th Floor", "Basement Level", "Top Floor", "Duplex",
    "Basement", "Triplex", "Attic", "Mezzanine", "Service Floor"};
constexpr std::array<double, 19> kFloorWeights{
    20, 23, 20, 15, 8, 5, 2.7, 1.8, 1.3, 0.7, 1.3, 1.8, 0.4, 0.6, 0.2, 0.1, 0.05, 0.02, 0.01};

constexpr std::array<std::string_view, 12> kCertificates{
    "NC", "D", "C", "E", "A", "F", "A+", "B", "B-", "G", "No Certificate", "Not available"};
constexpr std::array<double, 12> kCertificateWeights{40, 13, 12, 10, 7, 7, 2, 4, 3.5, 0.5, 0.6, 0.4};

constexpr std::array<std::string_view, 9> kConservation{
    "Good condition", "Used", "Like new", "Needs renovation", "Reasonable", "Renovated",
    "For recovery", "Ruin", "Under construction"};
constexpr std::array<double, 9> kConservationWeights{30, 14, 16, 11, 5, 8, 4, 1.5, 3};

template <std::size_t N>
std::array<double, N> cumulated(const std::array<double, N> &w)
{
    std::array<double, N> cum{};
    double total = 0.0;
    for (double x : w)
        total += x;
    double run = 0.0;
    for (std::size_t i = 0; i < N; ++i) {
        run += w[i];
        cum[i] = run / total;
    }
    return cum;
}

const auto kFloorCum = cumulated(kFloorWeights);
const auto kCertificateCum = cumulated(kCertificateWeights);
const auto kConservationCum = cumulated(kConservationWeights);

std::int64_t roundTo(double x, double step) { return static_cast<std::int64_t>(std::llround(x / step)) * static_cast<std::int64_t>(step); }

/// Asking prices the way sellers write them: 249,900 / 250,000 / 187,500.
std::int64_t askingPrice(Rng &rng, double x)
{
    x = std::max(x, 1000.0);
    if (x < 20000)
        return roundTo(x, 500);
    const double u = rng.uniform();
    if (x < 100000)
        return u < 0.3 ? roundTo(x, 5000) : roundTo(x, 1000);
    if (u < 0.40)
        return roundTo(x, 5000);
    if (u < 0.58)
        return roundTo(x, 10000) - 100; // 249,900
    if (u < 0.63)
        return roundTo(x, 10000) - 1000; // 249,000
    return roundTo(x, 1000);
}

int daysInMonth(int year, int month)
{
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

void writeRow(const Tables &tables, Rng &rng, double dirtyFraction, Buffer &out, Counters &counters)
{
    out.reserve(1024);

    // -- what the row is
    const DefectKind defect =
        dirtyFraction > 0.0 && rng.uniform() < dirtyFraction ? static_cast<DefectKind>(rng.below(kDefectCount)) : NoDefect;
    const District &d = tables.districts[pick(tables.districtCum, rng.uniform())];
    const City &city = d.cities[pick(d.cityCum, rng.uniform())];
    const std::string &town = city.towns[rng.below(static_cast<std::uint32_t>(city.towns.size()))];
    PropertyType type = static_cast<PropertyType>(pick(d.typeCum, rng.uniform()));
    if (defect != NoDefect)
        type = rng.chance(0.6) ? Apartment : House; // everything but the defect must be valid
    const TypeSpec &ts = kTypes[static_cast<std::size_t>(type)];
    const bool richPortal = rng.chance(0.88); // fills HasParking, Garage, EV charging, efficiency level

    // -- areas and price
    double living = 0.0; // 0 = no living area published
    double lot = 0.0;
    std::int64_t price = 0;
    std::int64_t priceCents = -1; // >= 0: printed with cents
    const bool newBuild = rng.chance(type == Land ? 0.0 : kNewBuildShare);
    if (type == Land) {
        lot = std::clamp(std::round(rng.logNormal(1700, 1.25)), 80.0, 900000.0);
        const double level = std::pow(d.eurPerSqm * city.priceFactor / 1700.0, 0.7);
        price = askingPrice(rng, rng.logNormal(62000 * level * std::pow(lot / 1700.0, 0.35), 0.75));
        if (rng.chance(0.28))
            living = lot; // sellers put the plot area in LivingArea
    } else if (type == Farm) {
        living = std::clamp(std::round(rng.logNormal(ts.areaMedian, ts.areaSigma)), ts.areaMin, ts.areaMax);
        lot = std::clamp(std::round(rng.logNormal(25000, 1.2)), 500.0, 5000000.0);
        const double level = std::pow(d.eurPerSqm * city.priceFactor / 1700.0, 0.5);
        price = askingPrice(rng, rng.logNormal(380000 * level, 0.70));
        if (rng.chance(0.2))
            living = 0.0;
    } else if (type == Garage) {
        living = std::clamp(std::round(rng.logNormal(ts.areaMedian, ts.areaSigma)), ts.areaMin, ts.areaMax);
        const double level = std::pow(d.eurPerSqm * city.priceFactor / 1700.0, 0.6);
        price = askingPrice(rng, rng.logNormal(21000 * level, 0.45));
    } else {
        living = std::clamp(std::round(rng.logNormal(ts.areaMedian, ts.areaSigma)), ts.areaMin, ts.areaMax);
        if (defect != NoDefect)
            living = std::max(living, 25.0);
        const double perSqm = d.eurPerSqm * city.priceFactor * ts.priceFactor *
                              std::pow(living / ts.areaMedian, -0.15) * (newBuild ? kNewBuildPremium : 1.0) *
                              std::exp(0.30 * rng.normal());
        price = askingPrice(rng, perSqm * living);
        if (type == House || type == Mansion || type == Building || type == Warehouse)
            lot = std::round(living * (0.4 + rng.logNormal(1.6, 0.9)));
        else if (rng.chance(0.10))
            lot = std::round(living * rng.logNormal(1.4, 0.8));
        if (rng.chance(0.002)) // a price converted from another currency or a per-m2 computation
            priceCents = price * 100 + static_cast<std::int64_t>(rng.below(100000)) - 50000;
    }
    if (defect != NoDefect && price < 60000)
        price = 60000 + roundTo(rng.uniform() * 90000, 1000);
    const bool dwelling = type == Apartment || type == House || type == Studio || type == Duplex ||
                          type == Mansion || type == OtherResidential || type == Farm;

    // -- rooms
    int bedrooms = 0;
    switch (type) {
    case Apartment: bedrooms = static_cast<int>(std::lround((living - 28) / 30 + 0.5 * rng.normal())); break;
    case Duplex: bedrooms = static_cast<int>(std::lround((living - 20) / 32 + 0.5 * rng.normal())); break;
    case House:
    case OtherResidential: bedrooms = static_cast<int>(std::lround((living - 30) / 42 + 0.6 * rng.normal())); break;
    case Mansion: bedrooms = static_cast<int>(std::lround(living / 65 + 0.8 * rng.normal())); break;
    case Farm: bedrooms = living > 0 ? rng.between(2, 6) : 0; break;
    case Office: bedrooms = static_cast<int>(std::lround(living / 35)); break;
    case Building: bedrooms = rng.between(4, 16); break;
    default: bedrooms = 0; break;
    }
    bedrooms = std::clamp(bedrooms, 0, 20);
    if (type == Apartment || type == House || type == Duplex)
        bedrooms = std::clamp(bedrooms, type == Apartment ? 0 : 1, 9);
    int bathrooms = 0;
    if (dwelling && (living > 0 || type != Farm)) {
        bathrooms = 1 + (bedrooms >= 2 && rng.chance(0.55)) + (bedrooms >= 3 && rng.chance(0.5)) +
                    (bedrooms >= 5 ? 1 : 0) + (type == Mansion ? 2 : 0);
    } else if (type == Office || type == Store || type == Building) {
        bathrooms = rng.between(type == Building ? 2 : 0, type == Building ? 8 : 2);
    }
    if (rng.chance(0.25)) // several portals publish 0 when they do not know
        bathrooms = 0;

    int year = 0;
    if (newBuild)
        year = rng.between(2019, 2025);
    else if (type != Land)
        year = static_cast<int>(std::lround(std::clamp(
            (type == House || type == Farm ? 1972.0 : 1986.0) + (type == House || type == Farm ? 26.0 : 18.0) * rng.normal(),
            1850.0, 2018.0)));
    else if (rng.chance(0.15))
        year = rng.between(1950, 2020);

    const int parking = type == Garage ? 1
                       : type == Land  ? 0
                       : [&] {
                             const double u = rng.uniform();
                             return u < 0.56 ? 0 : u < 0.84 ? 1 : u < 0.95 ? 2 : 3;
                         }();

    // -- write the fields
    // Price
    switch (defect) {
    case EmptyPrice: break;
    case ZeroPrice: out.put("0.0"); break;
    case NonNumericPrice: {
        static constexpr std::array<std::string_view, 3> kText{"Preço sob consulta", "sob consulta", "n/d"};
        out.put(kText[rng.below(3)]);
        break;
    }
    case NanPrice: out.put("NaN"); break;
    case InfPrice: out.put("inf"); break;
    case HugePrice: out.put("1e308"); break;
    default:
        if (priceCents >= 0)
            out.putCents(priceCents);
        else
            out.putWhole(price);
        break;
    }
    out.comma();
    // District, City, Town, Type
    if (defect != EmptyDistrict)
        out.put(d.field);
    out.comma();
    out.put(city.field);
    out.comma();
    const bool extraInTown = defect == ExtraField && rng.chance(0.5);
    if (extraInTown) {
        out.put(city.raw); // an unquoted comma: one field too many
        out.put(", ");
        out.put(d.raw);
    } else {
        out.put(town);
    }
    out.comma();
    out.put(ts.name);
    // EnergyCertificate (dropped for half the missing-field rows)
    const bool dropCertificate = defect == MissingField && rng.chance(0.5);
    std::string_view certificate;
    if (type == Land)
        certificate = rng.chance(0.95) ? std::string_view("NC") : std::string_view("Not available");
    else if (newBuild)
        certificate = rng.chance(0.4) ? "A+" : rng.chance(0.8) ? "A" : "B";
    else
        certificate = kCertificates[pick(kCertificateCum, rng.uniform())];
    if (!dropCertificate) {
        out.comma();
        out.put(certificate);
    }
    // GrossArea
    out.comma();
    if (living > 0 && rng.chance(0.75))
        out.putWhole(static_cast<std::int64_t>(std::lround(living * (1.08 + 0.22 * rng.uniform()))));
    // TotalArea
    out.comma();
    if (rng.chance(0.93)) {
        double total = type == Land ? lot : living * (rng.chance(0.6) ? 1.0 : 1.0 + 0.2 * rng.uniform()) + lot;
        if (total <= 0)
            total = lot > 0 ? lot : 0;
        if (total > 0)
            out.putWhole(static_cast<std::int64_t>(std::lround(total)));
    }
    // Parking, HasParking
    out.comma();
    if (rng.chance(0.999))
        out.putWhole(parking);
    out.comma();
    if (richPortal)
        out.put(parking > 0 ? std::string_view("True") : std::string_view("False"));
    // Floor
    out.comma();
    if ((type == Apartment || type == Studio || type == Duplex || type == Office) && rng.chance(0.92))
        out.put(kFloors[pick(kFloorCum, rng.uniform())]);
    // ConstructionYear
    out.comma();
    if (year > 0 && rng.chance(0.90))
        out.putWhole(year);
    // EnergyEfficiencyLevel
    out.comma();
    if (richPortal)
        out.put(certificate.size() <= 2 ? certificate : std::string_view("NC"));
    // PublishDate
    out.comma();
    if (rng.chance(0.90)) {
        const double u = rng.uniform();
        const int y = u < 0.15 ? 2023 : u < 0.95 ? 2024 : 2025;
        const int m = y == 2025 ? 1 : y == 2023 ? rng.between(6, 12) : rng.between(1, 12);
        const int dd = rng.between(1, daysInMonth(y, m));
        out.putUInt(static_cast<std::uint64_t>(y));
        out.put('-');
        out.put2(m);
        out.put('-');
        out.put2(dd);
        out.put(' ');
        out.put2(rng.between(7, 22));
        out.put(':');
        out.put2(rng.between(0, 59));
        out.put(':');
        out.put2(rng.between(0, 59));
        if (rng.chance(0.98)) {
            const int ms = rng.between(0, 999);
            out.put('.');
            out.put(static_cast<char>('0' + ms / 100));
            out.put2(ms % 100);
        }
    }
    // Garage, Elevator, ElectricCarsCharging
    out.comma();
    if (richPortal)
        out.put(rng.chance(parking > 0 ? 0.45 : 0.08) ? std::string_view("True") : std::string_view("False"));
    out.comma();
    if (rng.chance(0.9998)) {
        const bool lift = (type == Apartment || type == Studio || type == Duplex || type == Office)
                              ? rng.chance(newBuild ? 0.9 : 0.5)
                              : rng.chance(0.03);
        out.put(lift ? std::string_view("True") : std::string_view("False"));
    }
    out.comma();
    if (richPortal)
        out.put(rng.chance(newBuild ? 0.35 : 0.06) ? std::string_view("True") : std::string_view("False"));
    // TotalRooms, NumberOfBedrooms, NumberOfWC
    out.comma();
    if (rng.chance(type == Land ? 0.3 : 0.85))
        out.putWhole(bedrooms);
    out.comma();
    if (dwelling && rng.chance(0.88))
        out.putWhole(bedrooms);
    out.comma();
    if (rng.chance(0.75))
        out.putWhole(rng.chance(0.7) ? 0 : std::max(0, std::min(bathrooms, 1 + static_cast<int>(rng.below(3)))));
    // ConservationStatus
    out.comma();
    if (type != Land && rng.chance(0.72))
        out.put(newBuild ? (rng.chance(0.85) ? std::string_view("New") : std::string_view("Under construction"))
                         : kConservation[pick(kConservationCum, rng.uniform())]);
    // LivingArea
    out.comma();
    if (defect == ZeroArea) {
        out.put("0.0");
    } else if (defect == NegativeArea) {
        out.putWhole(-static_cast<std::int64_t>(living));
    } else if (living > 0) {
        out.putWhole(static_cast<std::int64_t>(living));
    } else {
        ++counters.livingAreaEmpty;
    }
    // LotSize
    out.comma();
    if (lot > 0 && rng.chance(type == Land ? 0.7 : 0.7))
        out.putWhole(static_cast<std::int64_t>(lot));
    // BuiltArea
    out.comma();
    if (living > 0 && type != Land && rng.chance(0.75))
        out.putWhole(static_cast<std::int64_t>(std::lround(living * (1.02 + 0.18 * rng.uniform()))));
    // NumberOfBathrooms (dropped for the other half of the missing-field rows)
    if (!(defect == MissingField && !dropCertificate)) {
        out.comma();
        if (rng.chance(0.955))
            out.putWhole(bathrooms);
    }
    if (defect == ExtraField && !extraInTown)
        out.comma(); // a trailing delimiter: an empty 26th field
    out.put('\n');
    if (defect != NoDefect)
        ++counters.defects[static_cast<std::size_t>(defect)];
}

// ---------------------------------------------------------------------------------------------------
// Chunks, threads, output

struct Slot
{
    Buffer buffer;
    Counters counters;
    bool ready = false;
};

void generateChunk(const Tables &tables, std::uint64_t seed, std::uint64_t chunk, std::uint64_t rows,
                   double dirty, Slot &slot)
{
    Rng rng(seed, chunk);
    slot.buffer.clear();
    slot.counters = Counters{};
    for (std::uint64_t i = 0; i < rows; ++i)
        writeRow(tables, rng, dirty, slot.buffer, slot.counters);
}

bool parseCount(const char *text, std::uint64_t &value)
{
    char *end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || errno != 0 || text[0] == '-')
        return false;
    std::uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1000, ++end;
    else if (*end == 'M' || *end == 'm')
        mul = 1000000, ++end;
    else if (*end == 'G' || *end == 'g')
        mul = 1000000000, ++end;
    if (*end != '\0')
        return false;
    value = static_cast<std::uint64_t>(v) * mul;
    return true;
}

int usage(std::FILE *to)
{
    std::fputs("usage: es_gen_listings N OUT.csv [--seed S] [--dirty FRACTION] [--threads T]\n"
               "  N         rows to write after the header (k/M/G suffixes allowed)\n"
               "  OUT.csv   output file, or - for stdout\n"
               "  --seed    random seed (default 2024); output depends only on N, seed and dirty\n"
               "  --dirty   fraction of rows with one deliberate defect, 0..1 (default 0)\n"
               "  --threads generator threads (default: hardware threads)\n",
               to);
    return to == stdout ? 0 : 2;
}

} // namespace
} // namespace es::gen

int main(int argc, char **argv)
{
    using namespace es::gen;
    std::uint64_t rows = 0;
    const char *outPath = nullptr;
    std::uint64_t seed = 2024;
    double dirty = 0.0;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    int positional = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](const char *name) -> const char * {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "es_gen_listings: %s needs a value\n", name);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") {
            return usage(stdout);
        } else if (arg == "--seed") {
            if (!parseCount(value("--seed"), seed))
                return usage(stderr);
        } else if (arg == "--dirty") {
            const char *v = value("--dirty");
            char *end = nullptr;
            dirty = std::strtod(v, &end);
            if (end == v || *end != '\0' || !(dirty >= 0.0 && dirty <= 1.0)) {
                std::fprintf(stderr, "es_gen_listings: --dirty must be a number in [0, 1], got '%s'\n", v);
                return 2;
            }
        } else if (arg == "--threads") {
            std::uint64_t t = 0;
            if (!parseCount(value("--threads"), t) || t == 0 || t > 256)
                return usage(stderr);
            threads = static_cast<unsigned>(t);
        } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
            std::fprintf(stderr, "es_gen_listings: unknown option %s\n", argv[i]);
            return usage(stderr);
        } else if (positional == 0) {
            if (!parseCount(argv[i], rows)) {
                std::fprintf(stderr, "es_gen_listings: N must be a row count, got '%s'\n", argv[i]);
                return 2;
            }
            ++positional;
        } else if (positional == 1) {
            outPath = argv[i];
            ++positional;
        } else {
            return usage(stderr);
        }
    }
    if (positional != 2)
        return usage(stderr);

    const bool toStdout = std::string_view(outPath) == "-";
    std::FILE *out = toStdout ? stdout : std::fopen(outPath, "wb");
    if (!out) {
        std::fprintf(stderr, "es_gen_listings: cannot open %s: %s\n", outPath, std::strerror(errno));
        return 1;
    }
    std::setvbuf(out, nullptr, _IOFBF, std::size_t{1} << 20);

    const auto start = std::chrono::steady_clock::now();
    const Tables tables = buildTables();
    const std::uint64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
    threads = static_cast<unsigned>(std::min<std::uint64_t>(threads, std::max<std::uint64_t>(chunks, 1)));
    const std::size_t slotCount = 2 * threads + 2;
    std::vector<Slot> slots(slotCount);
    std::vector<std::uint64_t> turn(slotCount); // which chunk may use each slot next
    for (std::size_t s = 0; s < slotCount; ++s)
        turn[s] = s;
    std::mutex mutex;
    std::condition_variable cv;
    std::atomic<std::uint64_t> nextChunk{0};
    std::atomic<bool> failed{false};

    auto worker = [&] {
        for (;;) {
            const std::uint64_t c = nextChunk.fetch_add(1);
            if (c >= chunks)
                return;
            const std::size_t s = static_cast<std::size_t>(c % slotCount);
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return turn[s] == c || failed.load(); });
                if (failed.load())
                    return;
            }
            const std::uint64_t n = std::min(kChunkRows, rows - c * kChunkRows);
            generateChunk(tables, seed, c, n, dirty, slots[s]);
            {
                std::lock_guard lock(mutex);
                slots[s].ready = true;
            }
            cv.notify_all();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads && chunks > 0; ++t)
        pool.emplace_back(worker);

    bool ok = std::fwrite(kHeader.data(), 1, kHeader.size(), out) == kHeader.size();
    std::uint64_t bytes = kHeader.size();
    Counters total;
    for (std::uint64_t c = 0; c < chunks && ok; ++c) {
        const std::size_t s = static_cast<std::size_t>(c % slotCount);
        {
            std::unique_lock lock(mutex);
            cv.wait(lock, [&] { return slots[s].ready; });
        }
        Slot &slot = slots[s];
        ok = std::fwrite(slot.buffer.data(), 1, slot.buffer.size(), out) == slot.buffer.size();
        bytes += slot.buffer.size();
        for (std::size_t k = 0; k < kDefectCount; ++k)
            total.defects[k] += slot.counters.defects[k];
        total.livingAreaEmpty += slot.counters.livingAreaEmpty;
        {
            std::lock_guard lock(mutex);
            slot.ready = false;
            turn[s] = c + slotCount;
        }
        cv.notify_all();
    }
    if (!ok) {
        failed = true;
        cv.notify_all();
    }
    for (auto &t : pool)
        t.join();
    if (std::fflush(out) != 0)
        ok = false;
    if (!toStdout && std::fclose(out) != 0)
        ok = false;
    if (!ok) {
        std::fprintf(stderr, "es_gen_listings: writing %s failed: %s\n", outPath, std::strerror(errno));
        return 1;
    }

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::uint64_t dirtyRows = 0;
    for (auto n : total.defects)
        dirtyRows += n;
    std::fprintf(stderr,
                 "es_gen_listings: %" PRIu64 " rows, %" PRIu64 " bytes (%.1f bytes/row), seed %" PRIu64
                 ", %u thread(s), %.2f s, %.0f rows/s\n",
                 rows, bytes, rows ? static_cast<double>(bytes - kHeader.size()) / static_cast<double>(rows) : 0.0,
                 seed, threads, seconds, seconds > 0 ? static_cast<double>(rows) / seconds : 0.0);
    std::fprintf(stderr, "rows without LivingArea (Land/Farm, not a defect): %" PRIu64 "\n", total.livingAreaEmpty);
    std::fprintf(stderr, "dirty rows: %" PRIu64 " (--dirty %g)\n", dirtyRows, dirty);
    for (std::size_t k = 0; k < kDefectCount; ++k)
        std::fprintf(stderr, "  %-18s %10" PRIu64 "  %s; %s\n", std::string(kDefects[k].key).c_str(),
                     total.defects[k], std::string(kDefects[k].what).c_str(),
                     std::string(kDefects[k].outcome).c_str());
    return 0;
}
