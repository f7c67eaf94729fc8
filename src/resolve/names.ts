/**
 * Name lists for {{GENERATE_FIRSTNAME}} and {{GENERATE_LASTNAME}}: common given names and surnames, written for
 * this project. Every name is ASCII letters only and at least 3 long, so a login built from them
 * (first.last@domain) is a valid Okta login, and the generated password (never 3 letters in a row) cannot contain one.
 */
export const FIRST_NAMES: readonly string[] = `
Aaron Abigail Adam Adrian Aisha Alan Albert Alec Alex Alexis Alice Alicia Alma Amanda Amber Amelia Amir Amos Amy
Ana Andre Andrea Andrew Angela Anita Ann Anna Anne Anthony Antonio Arjun Arthur Asha Aubrey Audrey Austin Ava
Barbara Beatrice Ben Benjamin Bernard Beth Bianca Bill Blake Bonnie Brad Brandon Brenda Brian Bridget Brooke Bruce
Caleb Calvin Camila Carl Carla Carlos Carmen Carol Caroline Carter Casey Catherine Cecilia Chad Charles Charlotte
Chen Chloe Chris Christina Clara Claire Colin Connor Craig Crystal Cynthia Daisy Dale Damian Dan Dana Daniel
Daniela Darius David Dean Deborah Denise Derek Diana Diego Dmitri Dolores Dominic Donna Dora Douglas Dylan Eddie
Edgar Edith Eduardo Edward Eileen Elena Eli Elias Elijah Eliza Ella Ellen Elliot Emily Emma Eric Erica Erin Esther
Ethan Eva Evan Evelyn Fatima Felix Fernando Fiona Frances Francis Frank Gabriel Gail Gary Gavin George Georgia
Gerald Gina Giovanni Gloria Grace Graham Grant Greg Gwen Hamza Hannah Harold Harper Harry Hazel Heather Hector
Helen Henry Hiro Holly Hugo Ian Ibrahim Ida Imani Irene Iris Isaac Isabel Ivan Jack Jackson Jacob Jade Jamal James
Jane Janet Jasmine Jason Javier Jean Jeff Jenna Jennifer Jeremy Jesse Jessica Joan Joel John Jonah Jordan Jorge
Jose Joseph Joshua Joy Juan Judith Julia Julian Julie June Justin Kai Karen Karim Kate Katherine Keith Kelly Ken
Kenji Kevin Kim Kyle Laila Lance Laura Lauren Leah Lena Leo Leon Leslie Liam Lila Lily Linda Lisa Logan Lorenzo
Louis Lucas Lucy Luis Luke Lydia Madison Maggie Malik Marco Marcus Margaret Maria Marie Mario Mark Martha Martin
Mary Mason Matthew Maya Megan Mei Melissa Mia Michael Michelle Miguel Mila Miles Miriam Mohammed Molly Monica Nadia
Naomi Nathan Neil Nicole Nina Noah Nora Oliver Olivia Omar Oscar Owen Pablo Pamela Patricia Patrick Paul Paula
Pedro Peter Philip Priya Quinn Rachel Rafael Rahul Ray Rebecca Reggie Rita Robert Robin Rosa Rose Ruby Ruth Ryan
Sabrina Sam Samantha Samuel Sandra Sara Sarah Scott Sean Sergio Seth Sharon Sofia Sonia Sophie Stella Stephen Steve
Susan Sydney Tanya Tara Teresa Theo Thomas Tina Tobias Tom Tony Tracy Trevor Tyler Uma Valerie Vanessa Vera Victor
Victoria Vincent Violet Walter Wanda Wendy Wesley William Xavier Yara Yasmin Yusuf Zach Zara Zoe
`.trim().split(/\s+/);

export const LAST_NAMES: readonly string[] = `
Abbott Acosta Adams Aguilar Ahmed Alexander Ali Allen Alvarez Anderson Andrews Armstrong Arnold Austin Bailey Baker
Banks Barnes Barrett Bates Becker Bell Bennett Berry Bishop Black Blake Bowman Boyd Bradley Brady Brooks Brown
Bryant Burke Burns Butler Byrne Caldwell Campbell Cardenas Carlson Carpenter Carroll Carter Castillo Castro Chan
Chang Chapman Chavez Chen Clark Cohen Cole Coleman Collins Cooper Cortez Cox Crawford Cruz Cunningham Curtis Daniels
Davidson Davies Davis Dawson Day Delgado Diaz Dixon Dominguez Douglas Doyle Duncan Dunn Edwards Elliott Ellis Evans
Farmer Ferguson Fernandez Fields Fischer Fisher Fleming Fletcher Flores Ford Foster Fowler Fox Francis Franklin
Freeman Fuller Garcia Gardner Garrett Gibson Gilbert Gomez Gonzalez Gordon Graham Grant Gray Green Gregory Griffin
Gupta Gutierrez Hale Hall Hamilton Hansen Hanson Harper Harris Harrison Hart Hawkins Hayes Henderson Henry Hernandez
Herrera Hicks Hill Hoffman Holland Holmes Hopkins Howard Hudson Hughes Hunt Hunter Ito Jackson Jacobs James Jenkins
Jensen Jimenez Johnson Johnston Jones Jordan Kaur Keller Kelley Kelly Kennedy Khan Kim King Klein Knight Kowalski
Kumar Lambert Lane Larson Lawrence Lawson Lee Lewis Lin Little Liu Long Lopez Lowe Lucas Lynch Mack Malone Marshall
Martin Martinez Mason Matthews Mccarthy Mcdonald Medina Mendez Mendoza Meyer Miller Mills Mitchell Molina Montgomery
Moore Morales Moreno Morgan Morris Morrison Murphy Murray Myers Nakamura Nelson Newman Nguyen Nichols Novak Obrien
Oconnor Olsen Oliver Olson Ortiz Owens Palmer Park Parker Patel Patterson Payne Pearson Pena Perez Perkins Perry
Peters Peterson Phillips Pierce Porter Powell Price Quinn Ramirez Ramos Reed Reid Reyes Reynolds Rice Richards
Richardson Riley Rivera Roberts Robertson Robinson Rodriguez Rogers Romero Rose Ross Ruiz Russell Ryan Sanchez
Sanders Santos Sato Schmidt Schneider Schultz Scott Shah Shaw Silva Simmons Simpson Singh Smith Snyder Soto Spencer
Stanley Stephens Stevens Stewart Stone Sullivan Suzuki Tanaka Taylor Thomas Thompson Torres Tran Tucker Turner
Vargas Vasquez Wagner Walker Wallace Walsh Wang Ward Warren Washington Watson Weaver Webb Weber Wells West Wheeler
White Williams Willis Wilson Wong Wood Woods Wright Yamamoto Yang Young Zhang Zimmerman
`.trim().split(/\s+/);
